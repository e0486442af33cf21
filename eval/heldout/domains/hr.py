"""`hr`: employees, departments, jobs, monthly payroll and leave requests.

Naming style: terse abbreviated names (emp_nm, dept_cd, hire_dt, gross_amt), code values
('T', 'VOL', 'SICK'), and comments on only some tables and columns.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np

from .common import FIRST_NAMES, LAST_NAMES, comment, days_after, load, pick

S = "hr"
LOCS = [("NYC", "New York", "US", 1.0), ("SFO", "San Francisco", "US", 1.1),
        ("LON", "London", "GB", 0.85), ("TOR", "Toronto", "CA", 0.75),
        ("BLR", "Bengaluru", "IN", 0.3), ("BER", "Berlin", "DE", 0.8)]
DEPTS = [  # code, name, location, established, headcount share
    ("ENG", "Engineering", "SFO", "2009-03-01", 30), ("SLS", "Sales", "NYC", "2009-03-01", 18),
    ("SUP", "Customer Support", "BLR", "2013-06-15", 14),
    ("OPS", "Operations", "NYC", "2010-01-04", 8),
    ("MKT", "Marketing", "LON", "2011-09-01", 7), ("FIN", "Finance", "NYC", "2009-03-01", 6),
    ("DAT", "Data Science", "TOR", "2017-02-01", 6), ("PRD", "Product Management", "SFO",
                                                      "2012-05-01", 5),
    ("HRS", "People & Talent", "BER", "2014-01-01", 4), ("LGL", "Legal", "LON", "2015-07-01", 2),
]
JOBS = [  # code, title, family, grade, min, max
    ("SWE1", "Software Engineer I", "Engineering", 2, 85000, 120000),
    ("SWE2", "Software Engineer II", "Engineering", 3, 110000, 150000),
    ("SWE3", "Senior Software Engineer", "Engineering", 4, 140000, 190000),
    ("EMGR", "Engineering Manager", "Engineering", 5, 170000, 230000),
    ("AE", "Account Executive", "Sales", 3, 70000, 110000),
    ("SDR", "Sales Development Rep", "Sales", 1, 48000, 65000),
    ("SMGR", "Sales Manager", "Sales", 5, 120000, 170000),
    ("CSR", "Support Specialist", "Support", 1, 40000, 58000),
    ("CSL", "Support Team Lead", "Support", 3, 60000, 80000),
    ("OPA", "Operations Analyst", "Operations", 2, 60000, 85000),
    ("MKS", "Marketing Specialist", "Marketing", 2, 60000, 90000),
    ("ACC", "Accountant", "Finance", 2, 65000, 95000),
    ("FCTL", "Financial Controller", "Finance", 5, 140000, 180000),
    ("DS1", "Data Scientist", "Data", 3, 110000, 150000),
    ("DS2", "Senior Data Scientist", "Data", 4, 140000, 185000),
    ("PM", "Product Manager", "Product", 4, 130000, 175000),
    ("HRBP", "HR Business Partner", "People", 3, 75000, 105000),
    ("RCR", "Recruiter", "People", 2, 60000, 85000),
    ("CNSL", "Legal Counsel", "Legal", 5, 150000, 210000),
    ("DIR", "Director", "Management", 6, 200000, 280000),
]
JOBS_BY_DEPT = {
    "ENG": ["SWE1", "SWE2", "SWE2", "SWE3", "SWE3", "EMGR"],
    "SLS": ["AE", "AE", "SDR", "SDR", "SMGR"], "SUP": ["CSR", "CSR", "CSR", "CSL"],
    "OPS": ["OPA"], "MKT": ["MKS"], "FIN": ["ACC", "ACC", "FCTL"],
    "DAT": ["DS1", "DS1", "DS2"], "PRD": ["PM"], "HRS": ["HRBP", "RCR"], "LGL": ["CNSL"],
}
PAY_START, PAY_END = dt.date(2022, 1, 31), dt.date(2025, 6, 30)

DDL = f"""
CREATE SCHEMA {S};
CREATE TABLE {S}.loc (loc_cd VARCHAR PRIMARY KEY, city_nm VARCHAR, ctry_cd VARCHAR);
CREATE TABLE {S}.dept (dept_cd VARCHAR PRIMARY KEY, dept_nm VARCHAR, loc_cd VARCHAR,
  estab_dt DATE);
CREATE TABLE {S}.job (job_cd VARCHAR PRIMARY KEY, job_ttl VARCHAR, job_fam VARCHAR,
  grd_lvl INTEGER, min_sal_amt INTEGER, max_sal_amt INTEGER);
CREATE TABLE {S}.emp (emp_id INTEGER PRIMARY KEY, frst_nm VARCHAR, lst_nm VARCHAR,
  gndr_cd VARCHAR, birth_dt DATE, hire_dt DATE, term_dt DATE, term_rsn_cd VARCHAR,
  emp_stat_cd VARCHAR, dept_cd VARCHAR, job_cd VARCHAR, mgr_emp_id INTEGER, ft_pt_ind VARCHAR,
  ann_sal_amt DECIMAL(10, 2));
CREATE TABLE {S}.pay (pay_id INTEGER PRIMARY KEY, emp_id INTEGER, pay_prd_end_dt DATE,
  gross_amt DECIMAL(10, 2), tax_amt DECIMAL(10, 2), net_amt DECIMAL(10, 2), ot_hrs DECIMAL(5, 1),
  bns_amt DECIMAL(10, 2));
CREATE TABLE {S}.lv_req (lv_id INTEGER PRIMARY KEY, emp_id INTEGER, lv_typ_cd VARCHAR,
  strt_dt DATE, end_dt DATE, day_cnt INTEGER, apprv_ind VARCHAR);
"""


def build(con: duckdb.DuckDBPyConnection, rng: np.random.Generator) -> None:
    con.execute(DDL)
    load(con, f"{S}.loc", {"loc_cd": np.array([x[0] for x in LOCS], dtype=object),
                           "city_nm": np.array([x[1] for x in LOCS], dtype=object),
                           "ctry_cd": np.array([x[2] for x in LOCS], dtype=object)})
    load(con, f"{S}.dept", {"dept_cd": np.array([x[0] for x in DEPTS], dtype=object),
                            "dept_nm": np.array([x[1] for x in DEPTS], dtype=object),
                            "loc_cd": np.array([x[2] for x in DEPTS], dtype=object),
                            "estab_dt": np.array([np.datetime64(x[3]) for x in DEPTS])})
    cols = list(zip(*JOBS, strict=True))
    load(con, f"{S}.job", {"job_cd": np.array(cols[0], dtype=object),
                           "job_ttl": np.array(cols[1], dtype=object),
                           "job_fam": np.array(cols[2], dtype=object), "grd_lvl": np.array(cols[3]),
                           "min_sal_amt": np.array(cols[4]), "max_sal_amt": np.array(cols[5])})
    emp = _employees(rng)
    load(con, f"{S}.emp", emp)
    _pay(con, rng, emp)
    _leave(con, rng, emp)
    _comments(con)


def _employees(rng: np.random.Generator) -> dict:
    n = 720
    dept = pick(rng, [d[0] for d in DEPTS], n, [d[4] for d in DEPTS])
    job = np.array([rng.choice(JOBS_BY_DEPT[d]) for d in dept], dtype=object)
    # one director per department, hired early
    first = {d: int(np.nonzero(dept == d)[0][0]) for d in JOBS_BY_DEPT}
    for i in first.values():
        job[i] = "DIR"
    hire_off = np.floor((dt.date(2025, 6, 1) - dt.date(2010, 1, 1)).days
                        * rng.random(n) ** 0.6).astype(int)
    for i in first.values():
        hire_off[i] = rng.integers(0, 900)
    hire = days_after(dt.date(2010, 1, 1), hire_off)
    term = np.array([None] * n, dtype=object)
    rsn = np.array([None] * n, dtype=object)
    quit_p = np.where(np.isin(dept, ["SUP", "SLS"]), 0.42, 0.2)
    for i in np.nonzero(rng.random(n) < quit_p)[0].tolist():
        if i in first.values():
            continue
        t = hire[i].astype(dt.date) + dt.timedelta(days=int(rng.gamma(2, 500)) + 60)
        if t < dt.date(2025, 6, 30):
            term[i] = t
            rsn[i] = rng.choice(["VOL", "INV", "RET"], p=[0.7, 0.22, 0.08])
    stat = np.where(term != None, "T", "A").astype(object)  # noqa: E711
    stat[(stat == "A") & (rng.random(n) < 0.04)] = "L"  # on leave
    grade = {j[0]: j for j in JOBS}
    loc = {d[0]: d[2] for d in DEPTS}
    mult = {x[0]: x[3] for x in LOCS}
    sal = np.array([(grade[j][4] + (grade[j][5] - grade[j][4]) * rng.beta(2, 2))
                    * mult[loc[d]] for j, d in zip(job, dept, strict=True)])
    ft = pick(rng, ["F", "P"], n, [92, 8])
    sal = np.round(np.where(ft == "P", sal * 0.5, sal), -2)
    mgr = np.array([None] * n, dtype=object)
    for i in range(n):
        if i not in first.values():
            mgr[i] = first[dept[i]] + 1001
    return {
        "emp_id": np.arange(1001, 1001 + n), "frst_nm": pick(rng, FIRST_NAMES, n),
        "lst_nm": pick(rng, LAST_NAMES, n),
        "gndr_cd": pick(rng, ["F", "M", "X", None], n, [46, 50, 1.5, 2.5]),
        "birth_dt": days_after(dt.date(1960, 1, 1), rng.integers(0, 40 * 365, n)),
        "hire_dt": hire, "term_dt": term, "term_rsn_cd": rsn, "emp_stat_cd": stat,
        "dept_cd": dept, "job_cd": job, "mgr_emp_id": mgr, "ft_pt_ind": ft, "ann_sal_amt": sal}


def _month_ends() -> list[dt.date]:
    out, y, m = [], PAY_START.year, PAY_START.month
    while (y, m) <= (PAY_END.year, PAY_END.month):
        nxt = dt.date(y + m // 12, m % 12 + 1, 1)
        out.append(nxt - dt.timedelta(days=1))
        y, m = nxt.year, nxt.month
    return out


def _pay(con, rng, emp) -> None:
    rows: list[tuple] = []
    sales = np.isin(emp["dept_cd"], ["SLS"])
    for me in _month_ends():
        for i in range(len(emp["emp_id"])):
            h, t = emp["hire_dt"][i].astype(dt.date), emp["term_dt"][i]
            if h > me or (t is not None and t < me.replace(day=1)):
                continue
            gross = float(emp["ann_sal_amt"][i]) / 12 * (1 + 0.035 * (me.year - 2022))
            ot = 0.0
            if emp["dept_cd"][i] in ("SUP", "OPS") and rng.random() < 0.45:
                ot = round(float(rng.gamma(2, 4)), 1)
                gross += ot * float(emp["ann_sal_amt"][i]) / 2080 * 1.5
            bonus = None
            if me.month == 12 and rng.random() < 0.7:
                bonus = round(float(emp["ann_sal_amt"][i]) * float(rng.uniform(0.03, 0.12)), 2)
            elif sales[i] and me.month in (3, 6, 9) and rng.random() < 0.5:
                bonus = round(float(rng.uniform(1500, 9000)), 2)
            gross = round(gross + (bonus or 0), 2)
            tax = round(gross * (0.22 if gross < 8000 else 0.3), 2)
            rows.append((int(emp["emp_id"][i]), me, gross, tax, round(gross - tax, 2), ot, bonus))
    c = list(zip(*rows, strict=True))
    load(con, f"{S}.pay", {
        "pay_id": np.arange(1, len(rows) + 1), "emp_id": np.array(c[0]),
        "pay_prd_end_dt": np.array(c[1], dtype="datetime64[D]"), "gross_amt": np.array(c[2]),
        "tax_amt": np.array(c[3]), "net_amt": np.array(c[4]), "ot_hrs": np.array(c[5]),
        "bns_amt": np.array(c[6], dtype=object)})


def _leave(con, rng, emp) -> None:
    rows: list[tuple] = []
    for i in range(len(emp["emp_id"])):
        h, t = emp["hire_dt"][i].astype(dt.date), emp["term_dt"][i]
        lo = max(h, dt.date(2021, 1, 1))
        hi = min(t or dt.date(2025, 6, 30), dt.date(2025, 6, 30))
        span = (hi - lo).days
        if span <= 30:
            continue
        for _ in range(rng.poisson(span / 365 * 2.2)):
            typ = rng.choice(["ANN", "SICK", "PAR", "UNP"], p=[0.62, 0.3, 0.03, 0.05])
            days = {"ANN": rng.integers(1, 15), "SICK": rng.integers(1, 6),
                    "PAR": rng.integers(40, 120), "UNP": rng.integers(2, 20)}[typ]
            start = lo + dt.timedelta(days=int(rng.integers(0, span)))
            apprv = rng.choice(["Y", "N", None], p=[0.86, 0.08, 0.06])
            rows.append((int(emp["emp_id"][i]), typ, start,
                         start + dt.timedelta(days=int(days * 7 // 5)), int(days), apprv))
    c = list(zip(*rows, strict=True))
    load(con, f"{S}.lv_req", {
        "lv_id": np.arange(1, len(rows) + 1), "emp_id": np.array(c[0]),
        "lv_typ_cd": np.array(c[1], dtype=object),
        "strt_dt": np.array(c[2], dtype="datetime64[D]"),
        "end_dt": np.array(c[3], dtype="datetime64[D]"), "day_cnt": np.array(c[4]),
        "apprv_ind": np.array(c[5], dtype=object)})


def _comments(con) -> None:
    comment(con, f"{S}.emp", "Employee master: one row per employee, current and former.", {
        "emp_stat_cd": "A = active, L = on leave, T = terminated.",
        "term_dt": "Termination date; NULL while employed.",
        "term_rsn_cd": "VOL = resigned, INV = let go, RET = retired.",
        "ft_pt_ind": "F = full time, P = part time.",
        "ann_sal_amt": "Annual base salary in USD.",
        "mgr_emp_id": "emp_id of the manager."})
    comment(con, f"{S}.pay", "Monthly payroll, one row per employee per pay period.", {
        "ot_hrs": "Overtime hours in the period.", "bns_amt": "Bonus paid in the period, if any."})
    comment(con, f"{S}.lv_req", "Leave requests.", {
        "lv_typ_cd": "ANN annual, SICK sick, PAR parental, UNP unpaid.",
        "apprv_ind": "Y approved, N rejected, NULL pending."})
