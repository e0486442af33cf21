"""`birdsurvey`: a volunteer bird-monitoring scheme — survey sites, species, observers,
survey visits and the birds counted on each visit.

Naming style: terse abbreviated snake_case (`site_nm`, `rgn`, `hab_typ`, `spc_cd`, `com_nm`,
`fam`, `cons_stat`, `obsr_id`, `yrs_exp`, `svy_dt`, `dur_min`, `wthr_cd`, `cnt`, `det_cd`),
code values (`'LC'`, `'VU'`; `'V'`/`'A'` for seen/heard), no comments, no declared keys.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
from heldout.domains.common import FIRST_NAMES, LAST_NAMES, load

S = "birdsurvey"
SITES = [  # name, region, habitat, elevation m
    ("Marsh End", "North", "Wetland", 3), ("Heron Lake", "North", "Wetland", 12),
    ("Ashby Wood", "North", "Woodland", 85), ("Fenwick Moor", "North", "Moorland", 410),
    ("Brookside Meadow", "South", "Grassland", 40), ("Kings Copse", "South", "Woodland", 120),
    ("Saltings Point", "South", "Coastal", 2), ("Gull Cliffs", "South", "Coastal", 55),
    ("High Tor", "West", "Moorland", 520), ("Willow Carr", "West", "Wetland", 30),
    ("Old Orchard", "West", "Farmland", 65), ("Barley Fields", "East", "Farmland", 20),
    ("Chalk Down", "East", "Grassland", 150), ("Quarry Pool", "East", "Wetland", 45),
]
SPECIES = [  # code, common name, scientific, family, status, habitats
    ("MALL", "Mallard", "Anas platyrhynchos", "Anatidae", "LC", "WC"),
    ("TEAL", "Eurasian Teal", "Anas crecca", "Anatidae", "LC", "W"),
    ("GRHE", "Grey Heron", "Ardea cinerea", "Ardeidae", "LC", "W"),
    ("BITT", "Eurasian Bittern", "Botaurus stellaris", "Ardeidae", "VU", "W"),
    ("CURL", "Eurasian Curlew", "Numenius arquata", "Scolopacidae", "NT", "MCG"),
    ("LAPW", "Northern Lapwing", "Vanellus vanellus", "Charadriidae", "NT", "FG"),
    ("OYST", "Eurasian Oystercatcher", "Haematopus ostralegus", "Haematopodidae", "NT", "C"),
    ("HEGU", "Herring Gull", "Larus argentatus", "Laridae", "LC", "C"),
    ("PUFF", "Atlantic Puffin", "Fratercula arctica", "Alcidae", "VU", "C"),
    ("SKYL", "Eurasian Skylark", "Alauda arvensis", "Alaudidae", "LC", "GFM"),
    ("MEPI", "Meadow Pipit", "Anthus pratensis", "Motacillidae", "LC", "MG"),
    ("ROBI", "European Robin", "Erithacus rubecula", "Muscicapidae", "LC", "WoF"),
    ("BLBI", "Common Blackbird", "Turdus merula", "Turdidae", "LC", "WoF"),
    ("SOTH", "Song Thrush", "Turdus philomelos", "Turdidae", "LC", "Wo"),
    ("WREN", "Eurasian Wren", "Troglodytes troglodytes", "Troglodytidae", "LC", "WoFWG"),
    ("BLTI", "Blue Tit", "Cyanistes caeruleus", "Paridae", "LC", "WoF"),
    ("GRTI", "Great Tit", "Parus major", "Paridae", "LC", "WoF"),
    ("CHAF", "Common Chaffinch", "Fringilla coelebs", "Fringillidae", "LC", "WoF"),
    ("GOLD", "European Goldfinch", "Carduelis carduelis", "Fringillidae", "LC", "FG"),
    ("YEHA", "Yellowhammer", "Emberiza citrinella", "Emberizidae", "NT", "F"),
    ("GSWO", "Great Spotted Woodpecker", "Dendrocopos major", "Picidae", "LC", "Wo"),
    ("TUDO", "European Turtle Dove", "Streptopelia turtur", "Columbidae", "VU", "F"),
    ("WOPI", "Common Wood Pigeon", "Columba palumbus", "Columbidae", "LC", "WoFG"),
    ("BUZZ", "Common Buzzard", "Buteo buteo", "Accipitridae", "LC", "WoFMG"),
    ("HENH", "Hen Harrier", "Circus cyaneus", "Accipitridae", "EN", "M"),
    ("REKI", "Red Kite", "Milvus milvus", "Accipitridae", "NT", "FG"),
    ("KING", "Common Kingfisher", "Alcedo atthis", "Alcedinidae", "LC", "W"),
    ("CAPE", "Western Capercaillie", "Tetrao urogallus", "Phasianidae", "EN", ""),  # never seen
    ("CORN", "Corn Crake", "Crex crex", "Rallidae", "VU", ""),  # never seen
]
HAB = {"Wetland": "W", "Coastal": "C", "Moorland": "M", "Grassland": "G", "Farmland": "F",
       "Woodland": "Wo"}
WEATHER = ["CLR", "CLD", "RAIN", "WIND"]

DDL = f"""
CREATE SCHEMA {S};
CREATE TABLE {S}.site (site_id INTEGER, site_nm VARCHAR, rgn VARCHAR, hab_typ VARCHAR,
  elev_m INTEGER);
CREATE TABLE {S}.spc (spc_cd VARCHAR, com_nm VARCHAR, sci_nm VARCHAR, fam VARCHAR,
  cons_stat VARCHAR);
CREATE TABLE {S}.obsr (obsr_id INTEGER, obsr_nm VARCHAR, yrs_exp INTEGER, cert_flg VARCHAR);
CREATE TABLE {S}.svy (svy_id INTEGER, site_id INTEGER, obsr_id INTEGER, svy_dt DATE,
  strt_tm VARCHAR, dur_min INTEGER, wthr_cd VARCHAR);
CREATE TABLE {S}.obs (obs_id INTEGER, svy_id INTEGER, spc_cd VARCHAR, cnt INTEGER,
  dist_m INTEGER, det_cd VARCHAR);
"""


def _fits(hab_codes: str, habitat: str) -> bool:
    code = HAB[habitat]
    return code in hab_codes if code == "Wo" else code in hab_codes.replace("Wo", "")


def build(con: duckdb.DuckDBPyConnection, rng: np.random.Generator) -> None:
    con.execute(DDL)
    load(con, f"{S}.site", {
        "site_id": np.arange(1, len(SITES) + 1),
        "site_nm": np.array([s[0] for s in SITES], dtype=object),
        "rgn": np.array([s[1] for s in SITES], dtype=object),
        "hab_typ": np.array([s[2] for s in SITES], dtype=object),
        "elev_m": np.array([s[3] for s in SITES])})
    load(con, f"{S}.spc", {k: np.array([s[i] for s in SPECIES], dtype=object) for i, k in
                           enumerate(["spc_cd", "com_nm", "sci_nm", "fam", "cons_stat"])})
    n_obsr = 18
    firsts, lasts = rng.choice(FIRST_NAMES, n_obsr), rng.choice(LAST_NAMES, n_obsr, replace=False)
    names = [f"{f} {ln}" for f, ln in zip(firsts, lasts, strict=True)]
    exp = rng.integers(0, 30, n_obsr)
    load(con, f"{S}.obsr", {
        "obsr_id": np.arange(1, n_obsr + 1), "obsr_nm": np.array(names, dtype=object),
        "yrs_exp": exp, "cert_flg": np.array(["Y" if e >= 8 else "N" for e in exp],
                                             dtype=object)})
    _surveys(con, rng, n_obsr)


def _surveys(con: duckdb.DuckDBPyConnection, rng: np.random.Generator, n_obsr: int) -> None:
    """About 600 visits (2022 to August 2025, mostly spring and summer), 0-9 species each;
    observers 17 and 18 never surveyed."""
    ow = rng.pareto(1.0, n_obsr - 2) + 0.2
    svy, obs = [], []
    while len(svy) < 600:
        day = dt.date(2022, 1, 1) + dt.timedelta(days=int(rng.integers(0, 1338)))
        if day.month in (11, 12, 1) and rng.random() < 0.7:
            continue
        site = int(rng.integers(0, len(SITES)))
        sid = len(svy) + 1
        obsr = int(rng.choice(n_obsr - 2, p=ow / ow.sum())) + 1
        hour, minute = int(rng.choice([5, 6, 7, 8, 9])), int(rng.choice([0, 15, 30, 45]))
        svy.append((site + 1, obsr, day, f"{hour:02d}:{minute:02d}",
                    int(rng.choice([30, 45, 60, 90, 120])),
                    str(rng.choice(WEATHER, p=[.4, .3, .15, .15]))))
        hab = SITES[site][2]
        pool = [s for s in SPECIES if s[5] and _fits(s[5], hab)]
        k = int(rng.integers(0, min(9, len(pool)) + 1))
        for j in rng.choice(len(pool), k, replace=False):
            sp = pool[int(j)]
            flock = sp[3] in ("Anatidae", "Laridae", "Alcidae", "Fringillidae")
            cnt = int(rng.geometric(0.08 if flock else 0.45))
            obs.append((sid, sp[0], cnt, int(rng.choice([10, 25, 50, 100, 200])),
                        "A" if rng.random() < 0.35 else "V"))
    c = list(zip(*svy, strict=True))
    load(con, f"{S}.svy", {
        "svy_id": np.arange(1, len(svy) + 1), "site_id": np.array(c[0]),
        "obsr_id": np.array(c[1]), "svy_dt": np.array(c[2], dtype="datetime64[D]"),
        "strt_tm": np.array(c[3], dtype=object), "dur_min": np.array(c[4]),
        "wthr_cd": np.array(c[5], dtype=object)})
    c = list(zip(*obs, strict=True))
    load(con, f"{S}.obs", {
        "obs_id": np.arange(1, len(obs) + 1), "svy_id": np.array(c[0]),
        "spc_cd": np.array(c[1], dtype=object), "cnt": np.array(c[2]),
        "dist_m": np.array(c[3]), "det_cd": np.array(c[4], dtype=object)})
