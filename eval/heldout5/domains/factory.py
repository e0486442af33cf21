"""`factory`: a contract manufacturer's shop floor — production lines (ln), parts (prt),
operators (opr), work orders (wo) and quality inspections (qc_insp).

Naming style: terse abbreviated snake_case (`ln_nm`, `plnt_cd`, `prt_no`, `prt_fam`,
`std_cst`, `opr_nm`, `crt_lvl`, `strt_ts`, `qty_pln`, `qty_gd`, `qty_scr`, `rslt_cd`,
`dfct_cd`), code values (`'P'`/`'F'`, `'DIM'`, shifts `'A'`/`'B'`/`'C'`, `'Y'`/`'N'`), no
comments, no declared keys.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
from heldout.domains.common import FIRST_NAMES, LAST_NAMES, load

S = "factory"
LINES = [  # line name, plant code, units per hour, active flag, weight
    ("ASSY-1", "DET", 120, "Y", 22), ("ASSY-2", "DET", 100, "Y", 18),
    ("MACH-1", "DET", 60, "Y", 16), ("MACH-2", "MTY", 70, "Y", 14),
    ("PAINT-1", "MTY", 150, "Y", 12), ("WELD-1", "MTY", 40, "Y", 18),
    ("WELD-2", "DET", 35, "N", 0),  # decommissioned: no work orders
]
FAMILIES = [("BRKT", 4.5), ("HSG", 18.0), ("SHFT", 11.0), ("GEAR", 7.5), ("CVR", 2.8)]
DEFECTS = [("DIM", 40), ("SURF", 25), ("WELD", 15), ("MAT", 8), ("ASSY", 12)]

DDL = f"""
CREATE SCHEMA {S};
CREATE TABLE {S}.ln (ln_id INTEGER, ln_nm VARCHAR, plnt_cd VARCHAR, cap_uph INTEGER,
  actv_flg VARCHAR);
CREATE TABLE {S}.prt (prt_no VARCHAR, prt_desc VARCHAR, prt_fam VARCHAR, std_cst DOUBLE);
CREATE TABLE {S}.opr (opr_id INTEGER, opr_nm VARCHAR, crt_lvl INTEGER, shft_cd VARCHAR,
  hire_dt DATE);
CREATE TABLE {S}.wo (wo_id INTEGER, ln_id INTEGER, prt_no VARCHAR, opr_id INTEGER,
  strt_ts TIMESTAMP, cmpl_ts TIMESTAMP, qty_pln INTEGER, qty_gd INTEGER, qty_scr INTEGER);
CREATE TABLE {S}.qc_insp (insp_id INTEGER, wo_id INTEGER, insp_dt DATE, smpl_sz INTEGER,
  rslt_cd VARCHAR, dfct_cd VARCHAR);
"""


def build(con: duckdb.DuckDBPyConnection, rng: np.random.Generator) -> None:
    con.execute(DDL)
    load(con, f"{S}.ln", {
        "ln_id": np.arange(10, 10 + len(LINES)),
        "ln_nm": np.array([x[0] for x in LINES], dtype=object),
        "plnt_cd": np.array([x[1] for x in LINES], dtype=object),
        "cap_uph": np.array([x[2] for x in LINES]),
        "actv_flg": np.array([x[3] for x in LINES], dtype=object)})
    parts = []
    for fam, cost in FAMILIES:
        for k in range(1, 8 if fam != "CVR" else 5):
            parts.append((f"{fam}-{100 + k * 7}", f"{fam.lower()} variant {k}", fam,
                          round(cost * rng.uniform(0.7, 1.4), 2)))
    parts.append(("HSG-900", "hsg prototype", "HSG", 55.0))  # never produced
    p = list(zip(*parts, strict=True))
    load(con, f"{S}.prt", {"prt_no": np.array(p[0], dtype=object),
                           "prt_desc": np.array(p[1], dtype=object),
                           "prt_fam": np.array(p[2], dtype=object), "std_cst": np.array(p[3])})
    n_op = 42
    load(con, f"{S}.opr", {
        "opr_id": np.arange(501, 501 + n_op),
        "opr_nm": np.array([f"{a} {b}" for a, b in zip(
            rng.choice(FIRST_NAMES, n_op), rng.choice(LAST_NAMES, n_op, replace=False),
            strict=True)], dtype=object),
        "crt_lvl": rng.choice([1, 2, 3], n_op, p=[.4, .4, .2]),
        "shft_cd": np.array(rng.choice(["A", "B", "C"], n_op, p=[.4, .35, .25]), dtype=object),
        "hire_dt": (np.datetime64("2012-01-01") + rng.integers(0, 365 * 13, n_op).astype(
            "timedelta64[D]"))})
    _work_orders(con, rng, parts[:-1], n_op)


def _work_orders(con: duckdb.DuckDBPyConnection, rng: np.random.Generator, parts: list,
                 n_op: int) -> None:
    """2 600 work orders started from January 2023 to October 2025 (operators 539-542 never
    ran one); about 70% were inspected, WELD-1 and uncertified operators scrap more."""
    n = 2600
    lw = np.array([x[4] for x in LINES], dtype=float)
    crt = con.execute(f"SELECT crt_lvl FROM {S}.opr ORDER BY opr_id").fetchnumpy()["crt_lvl"]
    t0 = dt.datetime(2023, 1, 2, 6)
    wos, insp = [], []
    for i in range(n):
        ln = int(rng.choice(len(LINES), p=lw / lw.sum()))
        part = parts[int(rng.integers(0, len(parts)))]
        op = int(rng.integers(0, n_op - 4))
        start = t0 + dt.timedelta(days=int(rng.integers(0, 1033)),
                                  hours=int(rng.choice([0, 8, 16])),
                                  minutes=int(rng.integers(0, 60)))
        qty = int(rng.choice([50, 100, 200, 250, 500, 1000], p=[.1, .3, .25, .15, .15, .05]))
        hours = qty / LINES[ln][2] * rng.uniform(0.9, 1.6)
        done = start + dt.timedelta(minutes=int(hours * 60))
        scr_rate = (0.06 if LINES[ln][0] == "WELD-1" else 0.025) * (1.8 if crt[op] == 1 else 1)
        scr = int(rng.binomial(qty, scr_rate))
        short = int(rng.integers(0, qty // 20 + 1)) if rng.random() < 0.2 else 0
        gd = qty - scr - short
        wid = 70001 + i
        wos.append((wid, 10 + ln, part[0], 501 + op, start, done, qty, gd, scr))
        if rng.random() < 0.7:
            fail = rng.random() < min(0.6, scr / qty * 4)
            dfct = (str(rng.choice([d[0] for d in DEFECTS],
                                   p=np.array([d[1] for d in DEFECTS]) / 100)) if fail else None)
            insp.append((wid, (done + dt.timedelta(days=int(rng.integers(0, 3)))).date(),
                         int(rng.choice([5, 10, 20])), "F" if fail else "P", dfct))
    c = list(zip(*wos, strict=True))
    load(con, f"{S}.wo", {
        "wo_id": np.array(c[0]), "ln_id": np.array(c[1]), "prt_no": np.array(c[2], dtype=object),
        "opr_id": np.array(c[3]), "strt_ts": np.array(c[4], dtype="datetime64[s]"),
        "cmpl_ts": np.array(c[5], dtype="datetime64[s]"), "qty_pln": np.array(c[6]),
        "qty_gd": np.array(c[7]), "qty_scr": np.array(c[8])})
    v = list(zip(*insp, strict=True))
    load(con, f"{S}.qc_insp", {
        "insp_id": np.arange(1, len(insp) + 1), "wo_id": np.array(v[0]),
        "insp_dt": np.array(v[1], dtype="datetime64[D]"), "smpl_sz": np.array(v[2]),
        "rslt_cd": np.array(v[3], dtype=object), "dfct_cd": np.array(v[4], dtype=object)})
