"""`bikeshare`: a city bike-share scheme — Stations, Bikes, Members, Trips and
MaintenanceLogs.

Naming style: PascalCase plural tables and columns, no comments, no declared keys (joins only
by name: `Trips.StartStationId` / `EndStationId` = `Stations.StationId`). Casual riders have
no member record (`Trips.MemberId` NULL).
"""
from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
from heldout.domains.common import FIRST_NAMES, LAST_NAMES, load

S = "bikeshare"
STATIONS = [  # name, district, docks, installed, weight
    ("Central Station", "Downtown", 40, dt.date(2019, 5, 1), 20),
    ("City Hall", "Downtown", 30, dt.date(2019, 5, 1), 14),
    ("Market Square", "Downtown", 24, dt.date(2019, 5, 1), 12),
    ("University Gate", "Campus", 36, dt.date(2020, 3, 15), 15),
    ("Science Park", "Campus", 20, dt.date(2021, 4, 1), 7),
    ("Harbour Front", "Waterfront", 28, dt.date(2019, 7, 1), 10),
    ("Ferry Terminal", "Waterfront", 18, dt.date(2020, 6, 1), 6),
    ("Museum Quarter", "Old Town", 22, dt.date(2020, 9, 1), 8),
    ("Cathedral Close", "Old Town", 14, dt.date(2022, 5, 1), 4),
    ("Riverside Park", "Northside", 16, dt.date(2021, 8, 1), 3),
    ("Hospital East", "Northside", 12, dt.date(2023, 2, 1), 1),
    ("Airport Link", "Northside", 20, dt.date(2025, 11, 1), 0),  # installed after the data ends
]
PLANS = ["Annual", "Monthly", "Student"]
ISSUES = [("Flat tyre", 15), ("Brake adjustment", 25), ("Chain replacement", 40),
          ("Battery replacement", 180), ("Light repair", 12), ("Frame damage", 120)]

DDL = f"""
CREATE SCHEMA {S};
CREATE TABLE {S}.Stations (StationId INTEGER, StationName VARCHAR, District VARCHAR,
  DockCount INTEGER, InstalledOn DATE);
CREATE TABLE {S}.Bikes (BikeId INTEGER, BikeType VARCHAR, Model VARCHAR, InServiceSince DATE,
  IsRetired BOOLEAN);
CREATE TABLE {S}.Members (MemberId INTEGER, FirstName VARCHAR, LastName VARCHAR,
  PlanType VARCHAR, JoinedOn DATE, BirthYear INTEGER);
CREATE TABLE {S}.Trips (TripId INTEGER, BikeId INTEGER, MemberId INTEGER,
  StartStationId INTEGER, EndStationId INTEGER, StartTime TIMESTAMP, EndTime TIMESTAMP,
  DistanceKm DOUBLE, Fare DECIMAL(6, 2));
CREATE TABLE {S}.MaintenanceLogs (LogId INTEGER, BikeId INTEGER, ServiceDate DATE,
  Issue VARCHAR, RepairCost DECIMAL(7, 2));
"""


def build(con: duckdb.DuckDBPyConnection, rng: np.random.Generator) -> None:
    con.execute(DDL)
    load(con, f"{S}.Stations", {
        "StationId": np.arange(101, 101 + len(STATIONS)),
        "StationName": np.array([s[0] for s in STATIONS], dtype=object),
        "District": np.array([s[1] for s in STATIONS], dtype=object),
        "DockCount": np.array([s[2] for s in STATIONS]),
        "InstalledOn": np.array([s[3] for s in STATIONS], dtype="datetime64[D]")})
    n_bike, n_mem = 160, 600
    btype = np.array(["Electric" if i % 3 == 0 else "Classic" for i in range(n_bike)],
                     dtype=object)
    model = np.array([str(rng.choice(["Volt E2", "Volt E3"])) if t == "Electric" else
                      str(rng.choice(["Roadster", "CityCruiser", "Roadster II"]))
                      for t in btype], dtype=object)
    since = np.datetime64("2019-05-01") + rng.integers(0, 1400, n_bike).astype("timedelta64[D]")
    retired = rng.random(n_bike) < 0.08
    load(con, f"{S}.Bikes", {"BikeId": np.arange(1, n_bike + 1), "BikeType": btype,
                             "Model": model, "InServiceSince": since, "IsRetired": retired})
    joined = np.datetime64("2019-05-01") + rng.integers(0, 2250, n_mem).astype("timedelta64[D]")
    plan = np.array(rng.choice(PLANS, n_mem, p=[.45, .35, .2]), dtype=object)
    birth = np.where(plan == "Student", rng.integers(1998, 2007, n_mem),
                     rng.integers(1950, 2004, n_mem))
    load(con, f"{S}.Members", {
        "MemberId": np.arange(1, n_mem + 1),
        "FirstName": np.array(rng.choice(FIRST_NAMES, n_mem), dtype=object),
        "LastName": np.array(rng.choice(LAST_NAMES, n_mem), dtype=object),
        "PlanType": plan, "JoinedOn": joined, "BirthYear": birth})
    _trips(con, rng, n_bike, n_mem, joined, btype)
    _maintenance(con, rng, n_bike, btype)


def _trips(con: duckdb.DuckDBPyConnection, rng: np.random.Generator, n_bike: int, n_mem: int,
           joined: np.ndarray, btype: np.ndarray) -> None:
    """About 4 000 trips from 2023 to October 2025, more in summer; bikes 151-160 never
    ridden; about 30% by casual riders (no member)."""
    n = 4000
    sw = np.array([s[4] for s in STATIONS[:-1]], dtype=float)
    start = dt.datetime(2023, 1, 1)
    mw = rng.pareto(1.3, n_mem) + 0.1
    rows = []
    while len(rows) < n:
        day = int(rng.integers(0, 1034))  # to 2025-10-30
        t0 = start + dt.timedelta(days=day, minutes=int(rng.integers(6 * 60, 23 * 60)))
        if t0.month in (12, 1, 2) and rng.random() < 0.6:  # winter is quiet
            continue
        a = int(rng.choice(len(sw), p=sw / sw.sum()))
        b = a if rng.random() < 0.1 else int(rng.choice(len(sw), p=sw / sw.sum()))
        bike = int(rng.integers(0, n_bike - 10))
        dist = round(0.8 + abs(a - b) * 0.7 + float(rng.gamma(2, 0.8)), 2)
        mins = int(dist * (3.2 if btype[bike] == "Electric" else 4.5) + rng.integers(1, 8))
        member = None
        if rng.random() > 0.3:
            m = int(rng.choice(n_mem, p=mw / mw.sum()))
            if joined[m] <= np.datetime64(t0.date()):
                member = m + 1
        fare = round((0.0 if member else 2.0) + (0.15 * mins if btype[bike] == "Electric"
                                                else 0.05 * mins), 2)
        rows.append((bike + 1, member, 101 + a, 101 + b, t0, t0 + dt.timedelta(minutes=mins),
                     dist, fare))
    rows.sort(key=lambda r: r[4])
    c = list(zip(*rows, strict=True))
    load(con, f"{S}.Trips", {
        "TripId": np.arange(1, n + 1), "BikeId": np.array(c[0]),
        "MemberId": np.array(c[1], dtype=object), "StartStationId": np.array(c[2]),
        "EndStationId": np.array(c[3]), "StartTime": np.array(c[4], dtype="datetime64[s]"),
        "EndTime": np.array(c[5], dtype="datetime64[s]"), "DistanceKm": np.array(c[6]),
        "Fare": np.array(c[7])})


def _maintenance(con: duckdb.DuckDBPyConnection, rng: np.random.Generator, n_bike: int,
                 btype: np.ndarray) -> None:
    """About 350 repairs, 2023 to 2025; battery work only on electric bikes."""
    rows = []
    while len(rows) < 350:
        bike = int(rng.integers(0, n_bike))
        k = int(rng.integers(0, len(ISSUES)))
        issue, base = ISSUES[k]
        if issue == "Battery replacement" and btype[bike] != "Electric":
            continue
        day = np.datetime64("2023-01-01") + np.timedelta64(int(rng.integers(0, 1034)), "D")
        rows.append((bike + 1, day, issue, round(base * float(rng.uniform(0.8, 1.3)), 2)))
    rows.sort(key=lambda r: (r[1], r[0]))
    c = list(zip(*rows, strict=True))
    load(con, f"{S}.MaintenanceLogs", {
        "LogId": np.arange(1, len(rows) + 1), "BikeId": np.array(c[0]),
        "ServiceDate": np.array(c[1], dtype="datetime64[D]"), "Issue": np.array(c[2], dtype=object),
        "RepairCost": np.array(c[3])})
