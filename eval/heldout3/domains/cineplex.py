"""`cineplex`: a small cinema chain — cinema, film, director, actor, the film_cast bridge
(film x actor) and screening (one showing of a film at a cinema, with tickets sold).

Naming style, like a public text-to-SQL benchmark's: snake_case singular tables, some terse
column names (`cin_nm`, `n_scr`, `rel_yr`, `dur_min`, `dir_id`, `nat`, `scr_dt`, `tkt_px`,
`n_sold`), no comments, no declared keys.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import numpy as np
from heldout.domains.common import FIRST_NAMES, LAST_NAMES, load

S = "cineplex"
CINEMAS = [  # name, city, screens, seats per screen, opened year, weight (share of screenings)
    ("Odeon Central", "Manchester", 9, 180, 1998, 30), ("Picturehouse Leith", "Edinburgh", 4, 120,
                                                        2009, 12),
    ("Regal Quay", "Liverpool", 6, 150, 2003, 18), ("Starlight", "Brighton", 3, 90, 1936, 8),
    ("Lumiere", "Cambridge", 2, 70, 1951, 6), ("Grand Electric", "Glasgow", 7, 160, 2012, 16),
    ("Riverside Screens", "Oxford", 5, 110, 2017, 10),
    ("Northern Lights", "Aberdeen", 4, 100, 2025, 0),  # opens late 2025: no screenings
]
GENRES = ["Drama", "Comedy", "Action", "Thriller", "Animation", "Horror", "Documentary", "Sci-Fi"]
GENRE_W = [22, 16, 16, 12, 10, 8, 6, 10]
RATINGS = ["U", "PG", "12A", "15", "18"]
NATS = ["American", "British", "French", "Korean", "Japanese", "Spanish", "Irish", "Mexican"]
WORDS = ["Last", "Red", "Silent", "Paper", "Night", "Golden", "Lost", "Winter", "Echo", "Iron",
         "Northern", "Glass", "Wild", "Hidden", "Broken", "Electric", "Distant", "Quiet"]
NOUNS = ["Harbour", "Kingdom", "Signal", "Garden", "Horizon", "River", "Machine", "Summer",
         "Border", "Letters", "Orbit", "Shadows", "Island", "Promise", "Frontier", "Crossing"]

DDL = f"""
CREATE SCHEMA {S};
CREATE TABLE {S}.cinema (cin_id INTEGER, cin_nm VARCHAR, city VARCHAR, n_scr INTEGER,
  seats INTEGER, opn_yr INTEGER);
CREATE TABLE {S}.director (dir_id INTEGER, dir_nm VARCHAR, nat VARCHAR, born_yr INTEGER);
CREATE TABLE {S}.film (film_id INTEGER, title VARCHAR, genre VARCHAR, rel_yr INTEGER,
  dur_min INTEGER, rating VARCHAR, dir_id INTEGER, budget_musd DECIMAL(6, 1));
CREATE TABLE {S}.actor (act_id INTEGER, act_nm VARCHAR, gender VARCHAR, born_yr INTEGER,
  nat VARCHAR);
CREATE TABLE {S}.film_cast (film_id INTEGER, act_id INTEGER, role_typ VARCHAR,
  char_nm VARCHAR);
CREATE TABLE {S}.screening (scr_id INTEGER, cin_id INTEGER, film_id INTEGER, scr_dt DATE,
  start_tm VARCHAR, screen_no INTEGER, tkt_px DECIMAL(5, 2), n_sold INTEGER);
"""


def _obj(values: Any) -> np.ndarray:
    return np.array(list(values), dtype=object)


def _names(rng: np.random.Generator, n: int, used: set[str]) -> list[str]:
    out: list[str] = []
    while len(out) < n:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name not in used:
            used.add(name)
            out.append(name)
    return out


def build(con: duckdb.DuckDBPyConnection, rng: np.random.Generator) -> None:
    con.execute(DDL)
    total_seats = [c[2] * c[3] for c in CINEMAS]
    load(con, f"{S}.cinema", {
        "cin_id": np.arange(1, len(CINEMAS) + 1), "cin_nm": _obj(c[0] for c in CINEMAS),
        "city": _obj(c[1] for c in CINEMAS), "n_scr": np.array([c[2] for c in CINEMAS]),
        "seats": np.array(total_seats), "opn_yr": np.array([c[4] for c in CINEMAS])})
    used: set[str] = set()
    n_dir, n_act, n_film = 16, 40, 48
    load(con, f"{S}.director", {
        "dir_id": np.arange(1, n_dir + 1), "dir_nm": _obj(_names(rng, n_dir, used)),
        "nat": _obj(rng.choice(NATS, n_dir, p=[.35, .25, .1, .08, .07, .06, .05, .04])),
        "born_yr": rng.integers(1945, 1990, n_dir)})
    load(con, f"{S}.actor", {
        "act_id": np.arange(1, n_act + 1), "act_nm": _obj(_names(rng, n_act, used)),
        "gender": _obj(rng.choice(["F", "M"], n_act)),
        "born_yr": rng.integers(1950, 2005, n_act),
        "nat": _obj(rng.choice(NATS, n_act, p=[.4, .3, .08, .06, .05, .05, .03, .03]))})
    # directors 1-15 make films (a few make many); director 16 has none yet
    dir_w = np.array([6, 5, 4, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1], dtype=float)
    titles: set[str] = set()
    films = []
    for fid in range(1, n_film + 1):
        title = ""
        while not title or title in titles:
            title = f"The {rng.choice(WORDS)} {rng.choice(NOUNS)}" if rng.random() < 0.5 \
                else f"{rng.choice(WORDS)} {rng.choice(NOUNS)}"
        titles.add(title)
        genre = str(rng.choice(GENRES, p=np.array(GENRE_W) / sum(GENRE_W)))
        dur = int(rng.normal(95 if genre == "Animation" else 118, 16))
        rating = "U" if genre == "Animation" and rng.random() < 0.6 else str(
            rng.choice(RATINGS[1:], p=[.2, .35, .3, .15]))
        films.append((fid, title, genre, int(rng.integers(2019, 2025)), dur, rating,
                       int(rng.choice(15, p=dir_w / dir_w.sum())) + 1,
                       None if rng.random() < 0.1 else round(float(rng.lognormal(3.2, 0.9)), 1)))
    c = list(zip(*films, strict=True))
    load(con, f"{S}.film", {
        "film_id": np.array(c[0]), "title": _obj(c[1]), "genre": _obj(c[2]),
        "rel_yr": np.array(c[3]), "dur_min": np.array(c[4]), "rating": _obj(c[5]),
        "dir_id": np.array(c[6]), "budget_musd": _obj(c[7])})
    cast = []
    act_w = np.array([5.0 if a <= 4 else 1.0 for a in range(1, n_act - 2)])  # 3 actors uncast
    for fid in range(1, n_film + 1):
        k = int(rng.integers(2, 5))
        for j, aid in enumerate(rng.choice(n_act - 3, k, replace=False, p=act_w / act_w.sum())):
            cast.append((fid, int(aid) + 1, "Lead" if j == 0 else "Supporting",
                         str(rng.choice(FIRST_NAMES))))
    c = list(zip(*cast, strict=True))
    load(con, f"{S}.film_cast", {"film_id": np.array(c[0]), "act_id": np.array(c[1]),
                                 "role_typ": _obj(c[2]), "char_nm": _obj(c[3])})
    _screenings(con, rng, films)


def _screenings(con: duckdb.DuckDBPyConnection, rng: np.random.Generator, films: list) -> None:
    """About 500 showings in 2024 and the first half of 2025; films 45-48 never shown."""
    n = 520
    cw = np.array([c[5] for c in CINEMAS], dtype=float)
    fw = np.array([1.0 / (1 + 0.08 * k) for k in range(44)])  # early films are the hits
    start = dt.date(2024, 1, 1)
    rows = []
    for sid in range(1, n + 1):
        cin = int(rng.choice(len(CINEMAS), p=cw / cw.sum()))
        fid = int(rng.choice(44, p=fw / fw.sum())) + 1
        day = start + dt.timedelta(days=int(rng.integers(0, 547)))
        hour = int(rng.choice([11, 14, 17, 19, 21], p=[.1, .2, .2, .3, .2]))
        tm = f"{hour:02d}:{int(rng.choice([0, 15, 30, 45])):02d}"
        px = round(float(rng.choice([7.5, 9.0, 11.5, 13.0])) + (1.5 if hour >= 17 else 0.0), 2)
        seats = CINEMAS[cin][3]
        fill = rng.beta(2, 3) * (1.4 if hour >= 17 else 0.8) * (1.3 if day.weekday() >= 5 else 1)
        rows.append((sid, cin + 1, fid, day, tm, int(rng.integers(1, CINEMAS[cin][2] + 1)), px,
                     min(seats, int(seats * fill))))
    rows.sort(key=lambda r: (r[3], r[4], r[1]))
    c = list(zip(*rows, strict=True))
    load(con, f"{S}.screening", {
        "scr_id": np.arange(1, n + 1), "cin_id": np.array(c[1]), "film_id": np.array(c[2]),
        "scr_dt": np.array(c[3], dtype="datetime64[D]"), "start_tm": _obj(c[4]),
        "screen_no": np.array(c[5]), "tkt_px": np.array(c[6]), "n_sold": np.array(c[7])})
