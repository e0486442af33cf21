"""`logistics`: a parcel shipping company — warehouses, carriers, customer accounts, shipments,
parcels and tracking events.

Naming style: terse abbreviations (whse_cd, carr_cd, shpmt_id, ship_dt, prms_dlv_dt, frt_amt,
wt_kg), code values ('DLV', 'EXP', 'OFD'), comments on some tables and columns only, no
declared keys.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
from heldout.domains.common import LAST_NAMES, comment, load, pick, with_nulls

S = "logistics"
WHSE = [  # code, name, city, country, capacity m3, opened, weight
    ("RTM1", "Rotterdam Hub", "Rotterdam", "NL", 52000, "2012-04-01", 34),
    ("DUI1", "Duisburg Cross-dock", "Duisburg", "DE", 31000, "2015-09-01", 20),
    ("LYS1", "Lyon Regional", "Lyon", "FR", 18000, "2017-02-15", 12),
    ("MAD2", "Madrid South", "Madrid", "ES", 22000, "2018-06-01", 11),
    ("WRO1", "Wroclaw East", "Wroclaw", "PL", 26000, "2019-10-01", 14),
    ("MIL1", "Milan Linate Park", "Milan", "IT", 15000, "2020-03-01", 9),
    ("GOT1", "Gothenburg North", "Gothenburg", "SE", 9000, "2025-05-01", 0),  # nothing shipped yet
]
CARR = [  # code, name, mode, weight
    ("DHX", "DH Express", "ROAD", 30), ("PNL", "PostNL Parcels", "ROAD", 18),
    ("GLS", "GLS Europe", "ROAD", 16), ("UPX", "UP Xpress Air", "AIR", 9),
    ("DBS", "DB Schenker Road", "ROAD", 14), ("FDA", "FedAir Cargo", "AIR", 7),
    ("CMA", "CMA Short Sea", "SEA", 6), ("VLT", "Volta Cargo Bikes", "BIKE", 0),  # never used
]
DEST = ["NL", "DE", "FR", "ES", "PL", "IT", "BE", "AT", "SE", "DK", "GB", "IE", "PT", "CZ"]
DEST_W = [16, 22, 14, 9, 7, 8, 6, 4, 3, 2, 5, 1, 2, 1]
START, END = dt.date(2021, 1, 1), dt.date(2025, 6, 30)

DDL = f"""
CREATE SCHEMA {S};
CREATE TABLE {S}.whse (whse_cd VARCHAR, whse_nm VARCHAR, cty_nm VARCHAR, ctry_cd VARCHAR,
  cap_m3 INTEGER, open_dt DATE);
CREATE TABLE {S}.carr (carr_cd VARCHAR, carr_nm VARCHAR, mode_cd VARCHAR, actv_flg VARCHAR);
CREATE TABLE {S}.cust (cust_id INTEGER, cust_nm VARCHAR, ctry_cd VARCHAR, acct_tier_cd VARCHAR,
  crt_dt DATE);
CREATE TABLE {S}.shpmt (shpmt_id INTEGER, cust_id INTEGER, orig_whse_cd VARCHAR,
  carr_cd VARCHAR, svc_lvl_cd VARCHAR, dest_ctry_cd VARCHAR, ship_dt DATE, prms_dlv_dt DATE,
  act_dlv_dt DATE, stat_cd VARCHAR, frt_amt DECIMAL(10, 2), ins_flg VARCHAR);
CREATE TABLE {S}.prcl (prcl_id INTEGER, shpmt_id INTEGER, wt_kg DECIMAL(8, 2),
  vol_cm3 INTEGER, decl_val_amt DECIMAL(10, 2), frgl_flg VARCHAR);
CREATE TABLE {S}.trk_evt (evt_id INTEGER, prcl_id INTEGER, evt_ts TIMESTAMP, evt_cd VARCHAR,
  loc_txt VARCHAR);
"""


def build(con: duckdb.DuckDBPyConnection, rng: np.random.Generator) -> None:
    con.execute(DDL)
    c = list(zip(*WHSE, strict=True))
    load(con, f"{S}.whse", {
        "whse_cd": np.array(c[0], dtype=object), "whse_nm": np.array(c[1], dtype=object),
        "cty_nm": np.array(c[2], dtype=object), "ctry_cd": np.array(c[3], dtype=object),
        "cap_m3": np.array(c[4]), "open_dt": np.array([np.datetime64(d) for d in c[5]])})
    c = list(zip(*CARR, strict=True))
    load(con, f"{S}.carr", {
        "carr_cd": np.array(c[0], dtype=object), "carr_nm": np.array(c[1], dtype=object),
        "mode_cd": np.array(c[2], dtype=object),
        "actv_flg": np.array(["N" if x == "CMA" else "Y" for x in c[0]], dtype=object)})
    nc = 520
    tier = pick(rng, ["GLD", "SLV", "BRZ"], nc, [8, 27, 65])
    crt = np.array([dt.date(2018, 1, 1) + dt.timedelta(days=int(x))
                    for x in rng.integers(0, (END - dt.date(2018, 1, 1)).days, nc)])
    sfx = ["BV", "GmbH", "SARL", "SL", "Sp. z o.o.", "SpA", "Trading", "Retail", "Logistics"]
    load(con, f"{S}.cust", {
        "cust_id": np.arange(3001, 3001 + nc),
        "cust_nm": np.array([f"{a} {b}" for a, b in zip(pick(rng, LAST_NAMES, nc),
                                                       pick(rng, sfx, nc), strict=True)],
                            dtype=object),
        "ctry_cd": pick(rng, DEST[:8], nc, DEST_W[:8]), "acct_tier_cd": with_nulls(rng, tier, 0.05),
        "crt_dt": np.array(crt, dtype="datetime64[D]")})
    _shipments(con, rng, nc, tier, crt)
    comment(con, f"{S}.shpmt", "Shipments: one consignment from a warehouse to a customer's "
            "consignee, carried by one carrier; holds one or more parcels.", {
                "svc_lvl_cd": "EXP express, STD standard, ECO economy.",
                "prms_dlv_dt": "Delivery date promised to the customer.",
                "act_dlv_dt": "Actual delivery date; NULL if not delivered.",
                "stat_cd": "DLV delivered, TRN in transit, RTS returned to sender, LST lost.",
                "frt_amt": "Freight charge billed to the customer, EUR.",
                "ins_flg": "Y if the shipment was insured."})
    comment(con, f"{S}.trk_evt", "Tracking scans per parcel.", {
        "evt_cd": "PU picked up, HUB hub scan, OFD out for delivery, DLV delivered, "
                  "EXC exception (delay, damage, address problem), RTS returned to sender."})
    comment(con, f"{S}.prcl", "Parcels (packages) in a shipment.", {
        "decl_val_amt": "Declared value of the contents, EUR; NULL if not declared."})
    comment(con, f"{S}.carr", "Carriers.", {"mode_cd": "ROAD, AIR, SEA or BIKE."})


def _shipments(con, rng, nc, tier, crt) -> None:
    vol = rng.pareto(1.1, nc) + 0.02
    vol[tier == "GLD"] *= 6
    vol[rng.random(nc) < 0.15] = 0  # accounts that never shipped
    p_c = vol / vol.sum()
    wc = [w[0] for w in WHSE[:-1]]
    ww = [w[6] for w in WHSE[:-1]]
    cc = [x[0] for x in CARR[:-1]]
    mode = {x[0]: x[2] for x in CARR}
    sh, pr, ev = [], [], []
    span = (END - START).days
    for _ in range(7200):
        cu = int(rng.choice(nc, p=p_c))
        d = START + dt.timedelta(days=int(span * rng.random() ** 0.8))  # volume grows
        if d < crt[cu]:
            d = crt[cu] + dt.timedelta(days=int(rng.integers(0, 30)))
            if d > END:
                continue
        w = str(rng.choice(wc, p=np.array(ww) / sum(ww)))
        if w == "MIL1" and d < dt.date(2020, 3, 1):
            w = "RTM1"
        ca = str(rng.choice(cc, p=np.array([x[3] for x in CARR[:-1]]) / 100))
        svc = "EXP" if mode[ca] == "AIR" else str(rng.choice(["EXP", "STD", "ECO"],
                                                             p=[0.15, 0.6, 0.25]))
        if mode[ca] == "SEA":
            svc = "ECO"
        prm = d + dt.timedelta(days={"EXP": 1, "STD": 3, "ECO": 6}[svc]
                               + (8 if mode[ca] == "SEA" else 0))
        late = int(rng.choice([0, 0, 0, 0, 0, 1, 2, 4]))
        if ca == "GLS":
            late += int(rng.integers(0, 3))
        early = -int(rng.integers(0, 2)) if svc != "EXP" else 0
        act = prm + dt.timedelta(days=max(late + early, -2))
        r = rng.random()
        if act > END:
            stat, act = "TRN", None
        elif r < 0.015:
            stat, act = "LST", None
        elif r < 0.05:
            stat, act = "RTS", None
        else:
            stat = "DLV"
        dest = str(rng.choice(DEST, p=np.array(DEST_W) / sum(DEST_W)))
        sid = 900001 + len(sh)
        npr = 1 + min(int(rng.geometric(0.55)) - 1, 11)
        tw = 0.0
        for _k in range(npr):
            wt = round(float(rng.lognormal(1.0, 0.9)), 2)
            tw += wt
            pid = 5000001 + len(pr)
            pr.append((pid, sid, wt, int(wt * rng.uniform(2500, 6000)),
                       round(float(rng.lognormal(4, 1.1)), 2) if rng.random() < 0.6 else None,
                       "Y" if rng.random() < 0.08 else "N"))
            if d >= dt.date(2024, 7, 1):  # tracking scans kept only from July 2024 on
                _events(rng, ev, pid, w, d, act, stat, dest)
        frt = round((6.5 + 1.1 * tw) * {"EXP": 2.2, "STD": 1.0, "ECO": 0.75}[svc]
                    * (1.8 if mode[ca] == "AIR" else 1.0) * (0.85 if tier[cu] == "GLD" else 1),
                    2)
        sh.append((sid, 3001 + cu, w, ca, svc, dest, d, prm, act, stat, frt,
                   "Y" if rng.random() < 0.18 else "N"))
    c = list(zip(*sh, strict=True))
    load(con, f"{S}.shpmt", {
        "shpmt_id": np.array(c[0]), "cust_id": np.array(c[1]),
        "orig_whse_cd": np.array(c[2], dtype=object), "carr_cd": np.array(c[3], dtype=object),
        "svc_lvl_cd": np.array(c[4], dtype=object), "dest_ctry_cd": np.array(c[5], dtype=object),
        "ship_dt": np.array(c[6], dtype="datetime64[D]"),
        "prms_dlv_dt": np.array(c[7], dtype="datetime64[D]"),
        "act_dlv_dt": np.array([None if x is None else np.datetime64(x, "D") for x in c[8]],
                               dtype=object),
        "stat_cd": np.array(c[9], dtype=object), "frt_amt": np.array(c[10]),
        "ins_flg": with_nulls(rng, c[11], 0.04)})
    c = list(zip(*pr, strict=True))
    load(con, f"{S}.prcl", {
        "prcl_id": np.array(c[0]), "shpmt_id": np.array(c[1]), "wt_kg": np.array(c[2]),
        "vol_cm3": np.array(c[3]), "decl_val_amt": np.array(c[4], dtype=object),
        "frgl_flg": np.array(c[5], dtype=object)})
    c = list(zip(*ev, strict=True))
    load(con, f"{S}.trk_evt", {
        "evt_id": np.arange(1, len(ev) + 1), "prcl_id": np.array(c[0]),
        "evt_ts": np.array(c[1], dtype="datetime64[s]"), "evt_cd": np.array(c[2], dtype=object),
        "loc_txt": np.array(c[3], dtype=object)})


def _events(rng, ev, pid, whse, d, act, stat, dest) -> None:
    t = dt.datetime(d.year, d.month, d.day, int(rng.integers(7, 18)), int(rng.integers(0, 60)))
    ev.append((pid, t, "PU", whse))
    t += dt.timedelta(hours=int(rng.integers(4, 20)))
    if t.date() <= END:
        ev.append((pid, t, "HUB", f"{dest}-HUB"))
    if rng.random() < 0.06:
        ev.append((pid, t + dt.timedelta(hours=int(rng.integers(2, 30))), "EXC",
                   str(rng.choice([f"{dest}-HUB", None]))))
    if stat == "DLV" and act is not None:
        end = dt.datetime(act.year, act.month, act.day, int(rng.integers(8, 19)),
                          int(rng.integers(0, 60)))
        ev.append((pid, end - dt.timedelta(hours=int(rng.integers(2, 6))), "OFD", dest))
        ev.append((pid, end, "DLV", dest))
    elif stat == "RTS":
        ev.append((pid, t + dt.timedelta(days=int(rng.integers(3, 10))), "RTS", whse))
