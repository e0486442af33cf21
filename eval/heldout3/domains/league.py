"""`league`: a regional football league — Stadium, Team, Player, Game, Goal, Sponsor and the
TeamSponsor bridge (team x sponsor deals).

Naming style, like a public text-to-SQL benchmark's: PascalCase singular tables and columns, no
comments, no declared keys (joins only by name: Team.StadiumId = Stadium.StadiumId,
Game.HomeTeamId / Game.AwayTeamId = Team.TeamId, Goal.PlayerId = Player.PlayerId, ...).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import numpy as np
from heldout.domains.common import FIRST_NAMES, LAST_NAMES, load

S = "league"
STADIUMS = [  # name, city, capacity, opened year
    ("Harbour Park", "Portsmouth", 21400, 1921), ("The Foundry", "Sheffield", 32600, 1899),
    ("Millfield Arena", "Leeds", 27800, 2004), ("Castle Ground", "Nottingham", 18200, 1910),
    ("Riverside Stadium", "Bristol", 24100, 1997), ("Kingsway", "Leicester", 15300, 1955),
    ("North Bank Arena", "Newcastle", 41200, 2011), ("Old Meadow", "Norwich", 12900, 1935),
    ("Victoria Park", "Hull", 16700, 1948), ("Crown Fields", "York", 8500, 2024),  # no team yet
]
TEAMS = [  # name, city, founded, stadium index, coach, strength
    ("Portsmouth Mariners", "Portsmouth", 1898, 0, "Alan Hughes", 1.0),
    ("Sheffield Steel", "Sheffield", 1889, 1, "Maria Lindqvist", 1.35),
    ("Sheffield Forge", "Sheffield", 1902, 1, "Tom Baxter", 0.8),  # shares The Foundry
    ("Leeds Lions", "Leeds", 1919, 2, "Graham Pike", 1.25),
    ("Nottingham Outlaws", "Nottingham", 1892, 3, "Sean O'Neill", 0.9),
    ("Bristol Bridges", "Bristol", 1894, 4, "Kofi Mensah", 1.1),
    ("Leicester Foxhounds", "Leicester", 1884, 5, "Rita Costa", 0.95),
    ("Newcastle Magpies", "Newcastle", 1892, 6, "Ian Armstrong", 1.5),
    ("Norwich Canaries", "Norwich", 1902, 7, "Paul Fenwick", 0.75),
    ("Hull Tigers", "Hull", 1904, 8, "Daniel Okafor", 0.85),
]
SPONSORS = [  # name, industry, country
    ("Northwind Air", "Airline", "United Kingdom"), ("Bolt Energy", "Energy", "Germany"),
    ("Kestrel Bank", "Banking", "United Kingdom"), ("Sunfield Foods", "Food", "Netherlands"),
    ("Apex Motors", "Automotive", "Japan"), ("Quantum Telecom", "Telecom", "United States"),
    ("Greenleaf Insurance", "Insurance", "United Kingdom"), ("Tidewater Brewing", "Drinks",
                                                            "Ireland"),  # never signed a deal
]
DEALS = [  # team index, sponsor index, start year, annual amount
    (0, 0, 2021, 450000), (0, 3, 2023, 120000), (1, 1, 2022, 900000), (1, 2, 2020, 650000),
    (1, 5, 2024, 300000), (2, 2, 2023, 150000), (3, 4, 2021, 700000), (3, 0, 2024, 250000),
    (4, 6, 2022, 180000), (5, 3, 2020, 220000), (5, 6, 2024, 95000), (6, 1, 2023, 260000),
    (7, 5, 2019, 1200000), (7, 4, 2023, 800000), (7, 2, 2024, 400000), (8, 6, 2021, 110000),
    (3, 5, 2022, 330000),  # team 9 (Hull) has no sponsor
]
NATIONS = ["England", "Scotland", "Wales", "Ireland", "France", "Spain", "Brazil", "Nigeria",
           "Netherlands", "Ghana", "Portugal", "Denmark"]
NATION_W = [48, 9, 6, 5, 6, 5, 4, 4, 4, 3, 3, 3]
POSITIONS = ["Goalkeeper", "Defender", "Midfielder", "Forward"]

DDL = f"""
CREATE SCHEMA {S};
CREATE TABLE {S}.Stadium (StadiumId INTEGER, Name VARCHAR, City VARCHAR, Capacity INTEGER,
  OpenedYear INTEGER);
CREATE TABLE {S}.Team (TeamId INTEGER, Name VARCHAR, City VARCHAR, FoundedYear INTEGER,
  StadiumId INTEGER, Coach VARCHAR);
CREATE TABLE {S}.Player (PlayerId INTEGER, Name VARCHAR, TeamId INTEGER, Position VARCHAR,
  Nationality VARCHAR, BirthYear INTEGER, HeightCm INTEGER, ShirtNumber INTEGER,
  WeeklyWage INTEGER);
CREATE TABLE {S}.Game (GameId INTEGER, Season INTEGER, GameDate DATE, HomeTeamId INTEGER,
  AwayTeamId INTEGER, HomeGoals INTEGER, AwayGoals INTEGER, Attendance INTEGER,
  StadiumId INTEGER);
CREATE TABLE {S}.Goal (GoalId INTEGER, GameId INTEGER, PlayerId INTEGER, Minute INTEGER,
  IsPenalty BOOLEAN);
CREATE TABLE {S}.Sponsor (SponsorId INTEGER, Name VARCHAR, Industry VARCHAR, Country VARCHAR);
CREATE TABLE {S}.TeamSponsor (TeamId INTEGER, SponsorId INTEGER, StartYear INTEGER,
  AnnualAmount INTEGER);
"""


def _obj(values: Any) -> np.ndarray:
    return np.array(list(values), dtype=object)


def build(con: duckdb.DuckDBPyConnection, rng: np.random.Generator) -> None:
    con.execute(DDL)
    load(con, f"{S}.Stadium", {
        "StadiumId": np.arange(1, len(STADIUMS) + 1), "Name": _obj(s[0] for s in STADIUMS),
        "City": _obj(s[1] for s in STADIUMS), "Capacity": np.array([s[2] for s in STADIUMS]),
        "OpenedYear": np.array([s[3] for s in STADIUMS])})
    load(con, f"{S}.Team", {
        "TeamId": np.arange(1, len(TEAMS) + 1), "Name": _obj(t[0] for t in TEAMS),
        "City": _obj(t[1] for t in TEAMS), "FoundedYear": np.array([t[2] for t in TEAMS]),
        "StadiumId": np.array([t[3] + 1 for t in TEAMS]), "Coach": _obj(t[4] for t in TEAMS)})
    load(con, f"{S}.Sponsor", {
        "SponsorId": np.arange(1, len(SPONSORS) + 1), "Name": _obj(s[0] for s in SPONSORS),
        "Industry": _obj(s[1] for s in SPONSORS), "Country": _obj(s[2] for s in SPONSORS)})
    load(con, f"{S}.TeamSponsor", {
        "TeamId": np.array([d[0] + 1 for d in DEALS]),
        "SponsorId": np.array([d[1] + 1 for d in DEALS]),
        "StartYear": np.array([d[2] for d in DEALS]),
        "AnnualAmount": np.array([d[3] for d in DEALS])})
    squads = _players(con, rng)
    _games(con, rng, squads)


def _players(con: duckdb.DuckDBPyConnection, rng: np.random.Generator) -> dict[int, list]:
    """About 22 players a team plus a few without a club (TeamId NULL); unique names."""
    rows: list[tuple] = []
    used: set[str] = set()
    squads: dict[int, list] = {t: [] for t in range(1, len(TEAMS) + 1)}
    plan: list[tuple[int | None, str]] = [(t, pos) for t in range(1, len(TEAMS) + 1)
            for pos, k in zip(POSITIONS, (2, 7, 7, 5), strict=True)
            for _ in range(k + int(rng.integers(0, 2)))]
    plan += [(None, str(rng.choice(POSITIONS[1:]))) for _ in range(6)]  # free agents
    for team, pos in plan:
        name = ""
        while not name or name in used:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        used.add(name)
        pid = len(rows) + 1
        wage = int(rng.lognormal(9.3 + (0.4 if pos == "Forward" else 0.0), 0.5) // 100 * 100)
        height = int(rng.normal(188 if pos == "Goalkeeper" else 180, 6))
        rows.append((pid, name, team, pos, str(rng.choice(NATIONS, p=np.array(NATION_W) / 100)),
                     int(rng.integers(1988, 2007)), height, None, wage))
        if team is not None:
            squads[team].append((pid, pos))
    for members in squads.values():  # shirt numbers unique within a squad
        nums = rng.permutation(np.arange(1, 40))[: len(members)]
        for (pid, _pos), n in zip(members, nums, strict=True):
            r = rows[pid - 1]
            rows[pid - 1] = r[:7] + (int(n),) + r[8:]
    c = list(zip(*rows, strict=True))
    load(con, f"{S}.Player", {
        "PlayerId": np.array(c[0]), "Name": _obj(c[1]), "TeamId": _obj(c[2]),
        "Position": _obj(c[3]), "Nationality": _obj(c[4]), "BirthYear": np.array(c[5]),
        "HeightCm": np.array(c[6]), "ShirtNumber": np.array(c[7]), "WeeklyWage": np.array(c[8])})
    return squads


def _games(con: duckdb.DuckDBPyConnection, rng: np.random.Generator,
           squads: dict[int, list]) -> None:
    """A double round robin per season (2023, 2024), Saturdays from August; goals per scorer."""
    games: list[tuple] = []
    goals: list[tuple] = []
    nt = len(TEAMS)
    for season in (2023, 2024):
        pairs = [(h, a) for h in range(1, nt + 1) for a in range(1, nt + 1) if h != a]
        order = rng.permutation(len(pairs))
        start = dt.date(season, 8, 5)
        for k, idx in enumerate(order.tolist()):
            h, a = pairs[idx]
            day = start + dt.timedelta(days=7 * (k // 5) + int(rng.integers(0, 2)))
            sh, sa = TEAMS[h - 1][5], TEAMS[a - 1][5]
            hg = int(rng.poisson(1.45 * sh / sa ** 0.5))
            ag = int(rng.poisson(1.1 * sa / sh ** 0.5))
            cap = STADIUMS[TEAMS[h - 1][3]][2]
            att = int(cap * min(1.0, rng.uniform(0.55, 1.0) * (0.9 + 0.1 * sa)))
            gid = len(games) + 1
            games.append((gid, season, day, h, a, hg, ag, att, TEAMS[h - 1][3] + 1))
            for team, n in ((h, hg), (a, ag)):
                outfield = [p for p in squads[team] if p[1] != "Goalkeeper"]
                star = next(p[0] for p in outfield if p[1] == "Forward")  # scores 3x as often
                w = np.array([{"Forward": 6.0, "Midfielder": 2.5, "Defender": 0.6}[p[1]]
                              * (3.0 if p[0] == star else 1.0) for p in outfield])
                for _ in range(n):
                    pid = outfield[int(rng.choice(len(outfield), p=w / w.sum()))][0]
                    goals.append((len(goals) + 1, gid, pid, int(rng.integers(1, 91)),
                                  bool(rng.random() < 0.1)))
    c = list(zip(*games, strict=True))
    load(con, f"{S}.Game", {
        "GameId": np.array(c[0]), "Season": np.array(c[1]),
        "GameDate": np.array(c[2], dtype="datetime64[D]"), "HomeTeamId": np.array(c[3]),
        "AwayTeamId": np.array(c[4]), "HomeGoals": np.array(c[5]), "AwayGoals": np.array(c[6]),
        "Attendance": np.array(c[7]), "StadiumId": np.array(c[8])})
    c = list(zip(*goals, strict=True))
    load(con, f"{S}.Goal", {
        "GoalId": np.array(c[0]), "GameId": np.array(c[1]), "PlayerId": np.array(c[2]),
        "Minute": np.array(c[3]), "IsPenalty": np.array(c[4])})
