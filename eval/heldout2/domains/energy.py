"""`energy`: a gas and electricity supplier — Regions, Tariffs, Customers, Meters, Readings and
Invoices.

Naming style: PascalCase tables and columns, no comments and no declared keys (joins only by
name: Meters.CustomerId = Customers.CustomerId, Meters.TariffCode = Tariffs.TariffCode, ...).
"""
from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
from heldout.domains.common import FIRST_NAMES, LAST_NAMES, load, pick, with_nulls

S = "energy"
REGIONS = [  # code, name, network operator, weight
    ("NW", "North West", "Electricity North West", 18), ("LON", "London", "UK Power Networks", 26),
    ("SE", "South East", "UK Power Networks", 16), ("MID", "Midlands", "National Grid", 14),
    ("SCO", "Scotland", "SP Energy Networks", 10), ("WAL", "Wales", "National Grid", 6),
    ("YKS", "Yorkshire", "Northern Powergrid", 10), ("NI", "Northern Ireland", "NIE Networks", 0),
]
TARIFFS = [  # code, name, fuel, unit rate per kWh, daily standing charge, green, fixed, launched
    ("E-STD", "Standard Variable Electricity", "Electricity", 0.245, 0.53, False, False,
     "2015-01-01"),
    ("E-FIX24", "Fixed 24 Electricity", "Electricity", 0.229, 0.49, False, True, "2021-06-01"),
    ("E-GRN", "Green Electricity", "Electricity", 0.262, 0.53, True, False, "2019-03-01"),
    ("E-EV", "EV Night Saver", "Electricity", 0.171, 0.55, True, False, "2022-09-01"),
    ("G-STD", "Standard Variable Gas", "Gas", 0.061, 0.29, False, False, "2015-01-01"),
    ("G-FIX24", "Fixed 24 Gas", "Gas", 0.057, 0.27, False, True, "2021-06-01"),
    ("G-BIO", "Biogas Blend", "Gas", 0.071, 0.29, True, False, "2024-10-01"),  # nobody on it yet
]
T_WEIGHT = {"Electricity": [50, 22, 18, 10], "Gas": [68, 32, 0]}
START, END = dt.date(2021, 1, 1), dt.date(2025, 6, 30)

DDL = f"""
CREATE SCHEMA {S};
CREATE TABLE {S}.Regions (RegionCode VARCHAR, RegionName VARCHAR, NetworkOperator VARCHAR);
CREATE TABLE {S}.Tariffs (TariffCode VARCHAR, TariffName VARCHAR, FuelType VARCHAR,
  UnitRate DECIMAL(6, 4), StandingCharge DECIMAL(6, 4), IsGreen BOOLEAN, IsFixed BOOLEAN,
  LaunchDate DATE);
CREATE TABLE {S}.Customers (CustomerId INTEGER, FullName VARCHAR, CustomerType VARCHAR,
  RegionCode VARCHAR, Postcode VARCHAR, SignupDate DATE, LeftDate DATE, PriorityService BOOLEAN);
CREATE TABLE {S}.Meters (MeterId VARCHAR, CustomerId INTEGER, FuelType VARCHAR,
  MeterType VARCHAR, TariffCode VARCHAR, InstalledDate DATE, RemovedDate DATE);
CREATE TABLE {S}.Readings (ReadingId INTEGER, MeterId VARCHAR, ReadingDate DATE,
  UsageKwh DECIMAL(10, 1), ReadingSource VARCHAR);
CREATE TABLE {S}.Invoices (InvoiceId INTEGER, CustomerId INTEGER, PeriodStart DATE,
  PeriodEnd DATE, IssueDate DATE, DueDate DATE, AmountDue DECIMAL(10, 2),
  AmountPaid DECIMAL(10, 2), PaidDate DATE);
"""


def _months(a: dt.date, b: dt.date) -> list[dt.date]:
    out, y, m = [], a.year, a.month
    while (y, m) <= (b.year, b.month):
        out.append(dt.date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def build(con: duckdb.DuckDBPyConnection, rng: np.random.Generator) -> None:
    con.execute(DDL)
    col = list(zip(*REGIONS, strict=True))
    load(con, f"{S}.Regions", {"RegionCode": np.array(col[0], dtype=object),
                               "RegionName": np.array(col[1], dtype=object),
                               "NetworkOperator": np.array(col[2], dtype=object)})
    col = list(zip(*TARIFFS, strict=True))
    load(con, f"{S}.Tariffs", {
        "TariffCode": np.array(col[0], dtype=object), "TariffName": np.array(col[1], dtype=object),
        "FuelType": np.array(col[2], dtype=object), "UnitRate": np.array(col[3]),
        "StandingCharge": np.array(col[4]), "IsGreen": np.array(col[5]),
        "IsFixed": np.array(col[6]), "LaunchDate": np.array([np.datetime64(d) for d in col[7]])})
    n = 380
    ctype = pick(rng, ["Residential", "Business"], n, [86, 14])
    signup = np.array([dt.date(2016, 1, 1) + dt.timedelta(days=int(x)) for x in
                       np.floor((END - dt.date(2016, 1, 1)).days * rng.random(n) ** 0.75)])
    left = np.array([None] * n, dtype=object)
    for i in np.nonzero(rng.random(n) < 0.24)[0].tolist():
        d = signup[i] + dt.timedelta(days=int(rng.gamma(2, 300)) + 30)
        if d < END:
            left[i] = d
    region = pick(rng, [r[0] for r in REGIONS], n, [r[3] for r in REGIONS])
    names = [f"{a} {b}" for a, b in zip(pick(rng, FIRST_NAMES, n), pick(rng, LAST_NAMES, n),
                                        strict=True)]
    trades = ["Ltd", "Bakery", "Motors", "Cafe", "Dental", "Builders", "Studio"]
    for i in np.nonzero(ctype == "Business")[0].tolist():
        names[i] = f"{names[i].split()[1]} {rng.choice(trades)}"
    letters = [chr(65 + k) for k in range(26)]
    postcode = [f"{r[:2]}{rng.integers(1, 30)} {rng.integers(1, 9)}"
                f"{rng.choice(letters)}{rng.choice(letters)}" for r in region]
    load(con, f"{S}.Customers", {
        "CustomerId": np.arange(50001, 50001 + n), "FullName": np.array(names, dtype=object),
        "CustomerType": ctype, "RegionCode": region,
        "Postcode": with_nulls(rng, postcode, 0.04),
        "SignupDate": np.array(signup, dtype="datetime64[D]"), "LeftDate": left,
        "PriorityService": rng.random(n) < 0.07})
    meters = _meters(con, rng, n, ctype, signup, left)
    _readings_and_invoices(con, rng, meters, ctype)


def _meters(con, rng, n, ctype, signup, left) -> list[tuple]:
    meters: list[tuple] = []
    e_codes = [t[0] for t in TARIFFS if t[2] == "Electricity"]
    g_codes = [t[0] for t in TARIFFS if t[2] == "Gas"]
    for i in range(n):
        if rng.random() < 0.05:  # signed up, never supplied: no meters
            continue
        fuels = ["Electricity"] + (["Gas"] if rng.random() < 0.62 else [])
        if ctype[i] == "Business" and rng.random() < 0.3:
            fuels.append("Electricity")  # second site
        for fuel in fuels:
            codes = e_codes if fuel == "Electricity" else g_codes
            tariff = str(rng.choice(codes, p=np.array(T_WEIGHT[fuel]) / sum(T_WEIGHT[fuel])))
            mtype = str(rng.choice(["Smart", "Standard", "Prepayment"], p=[0.58, 0.34, 0.08]))
            inst = signup[i] + dt.timedelta(days=int(rng.integers(3, 40)))
            removed = left[i]
            if removed is None and mtype == "Standard" and rng.random() < 0.1:
                removed = min(END, inst + dt.timedelta(days=int(rng.integers(200, 1500))))
            if removed is not None and removed <= inst:
                removed = inst + dt.timedelta(days=1)
            mid = f"{'E' if fuel == 'Electricity' else 'G'}{len(meters) + 100001}"
            meters.append((mid, 50001 + i, fuel, mtype, tariff, inst, removed))
    c = list(zip(*meters, strict=True))
    load(con, f"{S}.Meters", {
        "MeterId": np.array(c[0], dtype=object), "CustomerId": np.array(c[1]),
        "FuelType": np.array(c[2], dtype=object), "MeterType": np.array(c[3], dtype=object),
        "TariffCode": np.array(c[4], dtype=object),
        "InstalledDate": np.array(c[5], dtype="datetime64[D]"),
        "RemovedDate": np.array([None if d is None else np.datetime64(d, "D") for d in c[6]],
                                dtype=object)})
    return meters


def _readings_and_invoices(con, rng, meters, ctype) -> None:
    rate = {t[0]: (t[3], t[4]) for t in TARIFFS}
    rd: list[tuple] = []
    bill: dict[tuple[int, dt.date], float] = {}
    for mid, cid, fuel, mtype, tariff, inst, removed in meters:
        if rng.random() < 0.03:
            continue  # installed, never read
        base = rng.lognormal(5.5 if fuel == "Electricity" else 6.8, 0.5)
        if ctype[cid - 50001] == "Business":
            base *= rng.uniform(3, 12)
        step = 1 if mtype == "Smart" else 3  # smart meters read monthly, others quarterly
        months = _months(max(inst, START), min(removed or END, END))
        for k in range(0, len(months) - 1, step):
            m0 = months[k]
            nxt = months[min(k + step, len(months) - 1)]
            season = 1 + (0.35 if fuel == "Electricity" else 0.9) * np.cos(
                2 * np.pi * (m0.month - 1) / 12)
            use = round(float(base * season * step * rng.lognormal(0, 0.15)), 1)
            src = "Actual" if mtype == "Smart" else str(rng.choice(
                ["Actual", "Estimated", "Customer"], p=[0.5, 0.3, 0.2]))
            rdate = nxt - dt.timedelta(days=1)
            rd.append((mid, rdate, use, src))
            ur, sc = rate[tariff]
            key = (cid, dt.date(rdate.year, rdate.month, 1))
            bill[key] = bill.get(key, 0.0) + use * ur + sc * 30 * step
    load(con, f"{S}.Readings", {
        "ReadingId": np.arange(1, len(rd) + 1), "MeterId": np.array([r[0] for r in rd],
                                                                     dtype=object),
        "ReadingDate": np.array([r[1] for r in rd], dtype="datetime64[D]"),
        "UsageKwh": np.array([r[2] for r in rd]),
        "ReadingSource": np.array([r[3] for r in rd], dtype=object)})
    inv: list[tuple] = []
    for cid, month in sorted(bill):
        if month.month % 3 != 0:  # invoices are quarterly: Mar, Jun, Sep, Dec
            continue
        ps = dt.date(month.year, month.month - 2, 1)
        total = sum(bill.get((cid, dt.date(month.year, month.month - k, 1)), 0.0)
                    for k in range(3))
        pe = (dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
              - dt.timedelta(days=1))
        issue = pe + dt.timedelta(days=int(rng.integers(3, 12)))
        due = issue + dt.timedelta(days=28)
        r = rng.random()
        if issue > END or r < 0.06:
            paid, pdate = None, None  # unpaid
        elif r < 0.12:
            paid, pdate = round(total * float(rng.uniform(0.3, 0.9)), 2), None  # part paid
        else:
            pdate = issue + dt.timedelta(days=int(rng.gamma(2, 9 if r > 0.3 else 25)))
            paid = round(total, 2)
            if pdate > END:
                paid, pdate = None, None  # not paid yet at the data's cut-off
        if issue > END:
            continue
        inv.append((cid, ps, pe, issue, due, round(total, 2), paid, pdate))
    c = list(zip(*inv, strict=True))
    load(con, f"{S}.Invoices", {
        "InvoiceId": np.arange(700001, 700001 + len(inv)), "CustomerId": np.array(c[0]),
        "PeriodStart": np.array(c[1], dtype="datetime64[D]"),
        "PeriodEnd": np.array(c[2], dtype="datetime64[D]"),
        "IssueDate": np.array(c[3], dtype="datetime64[D]"),
        "DueDate": np.array(c[4], dtype="datetime64[D]"), "AmountDue": np.array(c[5]),
        "AmountPaid": np.array(c[6], dtype=object),
        "PaidDate": np.array([None if d is None else np.datetime64(d, "D") for d in c[7]],
                             dtype=object)})
