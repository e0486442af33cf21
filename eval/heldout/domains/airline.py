"""`airline`: a European carrier's airports, fleet, flights, passengers and bookings.

Naming style: PascalCase tables and columns, no comments and no declared keys (the joins
are only in the names: Flights.OriginAirport = Airports.AirportCode, ...).
"""
from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np

from .common import FIRST_NAMES, LAST_NAMES, load, pick, with_nulls

S = "airline"
HUB = "AMS"
AIRPORTS = [  # code, name, city, country, continent, elevation ft, weight
    ("AMS", "Amsterdam Schiphol", "Amsterdam", "Netherlands", "Europe", -11, 0),
    ("LHR", "London Heathrow", "London", "United Kingdom", "Europe", 83, 14),
    ("LGW", "London Gatwick", "London", "United Kingdom", "Europe", 202, 5),
    ("CDG", "Paris Charles de Gaulle", "Paris", "France", "Europe", 392, 11),
    ("FRA", "Frankfurt am Main", "Frankfurt", "Germany", "Europe", 364, 8),
    ("MUC", "Munich", "Munich", "Germany", "Europe", 1487, 5),
    ("MAD", "Adolfo Suarez Madrid-Barajas", "Madrid", "Spain", "Europe", 1998, 7),
    ("BCN", "Barcelona El Prat", "Barcelona", "Spain", "Europe", 12, 9),
    ("FCO", "Rome Fiumicino", "Rome", "Italy", "Europe", 13, 6),
    ("MXP", "Milan Malpensa", "Milan", "Italy", "Europe", 768, 4),
    ("ZRH", "Zurich", "Zurich", "Switzerland", "Europe", 1416, 4),
    ("VIE", "Vienna", "Vienna", "Austria", "Europe", 600, 3),
    ("CPH", "Copenhagen Kastrup", "Copenhagen", "Denmark", "Europe", 17, 4),
    ("OSL", "Oslo Gardermoen", "Oslo", "Norway", "Europe", 681, 3),
    ("DUB", "Dublin", "Dublin", "Ireland", "Europe", 242, 5),
    ("LIS", "Lisbon Humberto Delgado", "Lisbon", "Portugal", "Europe", 374, 4),
    ("ATH", "Athens", "Athens", "Greece", "Europe", 308, 3),
    ("PRG", "Vaclav Havel Prague", "Prague", "Czechia", "Europe", 1247, 2),
    ("WAW", "Warsaw Chopin", "Warsaw", "Poland", "Europe", 362, 2),
    ("IST", "Istanbul", "Istanbul", "Turkey", "Europe", 325, 3),
    ("JFK", "John F. Kennedy", "New York", "United States", "North America", 13, 5),
    ("BOS", "Boston Logan", "Boston", "United States", "North America", 20, 2),
    ("ORD", "Chicago O'Hare", "Chicago", "United States", "North America", 672, 2),
    ("YYZ", "Toronto Pearson", "Toronto", "Canada", "North America", 569, 2),
    ("DXB", "Dubai", "Dubai", "United Arab Emirates", "Asia", 62, 2),
    ("NRT", "Tokyo Narita", "Tokyo", "Japan", "Asia", 141, 1),
    ("SIN", "Singapore Changi", "Singapore", "Singapore", "Asia", 22, 1),
    ("CPT", "Cape Town", "Cape Town", "South Africa", "Africa", 151, 1),
    ("RAK", "Marrakesh Menara", "Marrakesh", "Morocco", "Africa", 1545, 0),
]
COORD = {  # lat, lon for distances
    "AMS": (52.31, 4.76), "LHR": (51.47, -0.45), "LGW": (51.15, -0.19), "CDG": (49.01, 2.55),
    "FRA": (50.03, 8.56), "MUC": (48.35, 11.79), "MAD": (40.47, -3.56), "BCN": (41.30, 2.08),
    "FCO": (41.80, 12.25), "MXP": (45.63, 8.72), "ZRH": (47.46, 8.55), "VIE": (48.11, 16.57),
    "CPH": (55.62, 12.66), "OSL": (60.19, 11.10), "DUB": (53.43, -6.27), "LIS": (38.78, -9.14),
    "ATH": (37.94, 23.94), "PRG": (50.10, 14.26), "WAW": (52.17, 20.97), "IST": (41.26, 28.74),
    "JFK": (40.64, -73.78), "BOS": (42.36, -71.01), "ORD": (41.97, -87.91),
    "YYZ": (43.68, -79.63), "DXB": (25.25, 55.36), "NRT": (35.77, 140.39),
    "SIN": (1.36, 103.99), "CPT": (-33.97, 18.60), "RAK": (31.61, -8.04),
}
FLEET = [  # manufacturer, model, seats, count, long haul
    ("Embraer", "E175", 88, 8, False), ("Embraer", "E195-E2", 132, 6, False),
    ("Boeing", "737-800", 186, 12, False), ("Airbus", "A321neo", 220, 6, False),
    ("Boeing", "787-9", 294, 5, True), ("Airbus", "A330-300", 292, 3, True),
]
DDL = f"""
CREATE SCHEMA {S};
CREATE TABLE {S}.Airports (AirportCode VARCHAR, AirportName VARCHAR, City VARCHAR,
  Country VARCHAR, Continent VARCHAR, ElevationFt INTEGER);
CREATE TABLE {S}.Aircraft (TailNumber VARCHAR, Manufacturer VARCHAR, Model VARCHAR,
  SeatCapacity INTEGER, InServiceSince DATE, Retired BOOLEAN);
CREATE TABLE {S}.Flights (FlightId INTEGER, FlightNumber VARCHAR, OriginAirport VARCHAR,
  DestinationAirport VARCHAR, TailNumber VARCHAR, ScheduledDeparture TIMESTAMP,
  ScheduledArrival TIMESTAMP, ActualDeparture TIMESTAMP, ActualArrival TIMESTAMP,
  FlightStatus VARCHAR, DistanceKm INTEGER, ArrivalDelayMinutes INTEGER);
CREATE TABLE {S}.Passengers (PassengerId INTEGER, FirstName VARCHAR, LastName VARCHAR,
  DateOfBirth DATE, Nationality VARCHAR, LoyaltyTier VARCHAR, EnrolledOn DATE);
CREATE TABLE {S}.Bookings (BookingId INTEGER, BookingReference VARCHAR, PassengerId INTEGER,
  FlightId INTEGER, BookedAt TIMESTAMP, CabinClass VARCHAR, FareEur DECIMAL(9, 2),
  CheckedBags INTEGER, BookingStatus VARCHAR);
"""


def _km(a: str, b: str) -> int:
    (la1, lo1), (la2, lo2) = COORD[a], COORD[b]
    p1, p2, dl = np.radians(la1), np.radians(la2), np.radians(lo2 - lo1)
    c = np.sin(p1) * np.sin(p2) + np.cos(p1) * np.cos(p2) * np.cos(dl)
    return int(round(6371 * np.arccos(min(1.0, c))))


def build(con: duckdb.DuckDBPyConnection, rng: np.random.Generator) -> None:
    con.execute(DDL)
    cols = list(zip(*AIRPORTS, strict=True))
    load(con, f"{S}.Airports", {
        "AirportCode": np.array(cols[0], dtype=object),
        "AirportName": np.array(cols[1], dtype=object),
        "City": np.array(cols[2], dtype=object), "Country": np.array(cols[3], dtype=object),
        "Continent": np.array(cols[4], dtype=object), "ElevationFt": np.array(cols[5])})
    tails, models, long_haul = [], [], []
    for man, model, seats, count, lh in FLEET:
        for _ in range(count):
            tails.append(f"PH-{''.join(rng.choice(list('ABCDEFGHKLMNPRSTVWXZ'), 3))}")
            models.append((man, model, seats))
            long_haul.append(lh)
    na = len(tails)
    since = np.datetime64("2008-01-01") + rng.integers(0, 15 * 365, na).astype("timedelta64[D]")
    retired = rng.random(na) < 0.08
    load(con, f"{S}.Aircraft", {
        "TailNumber": np.array(tails, dtype=object),
        "Manufacturer": np.array([m[0] for m in models], dtype=object),
        "Model": np.array([m[1] for m in models], dtype=object),
        "SeatCapacity": np.array([m[2] for m in models]), "InServiceSince": since,
        "Retired": retired})
    _flights(con, rng, np.array(tails, dtype=object), np.array(long_haul), retired)


def _flights(con, rng, tails, long_haul, retired) -> None:
    dests = [a[0] for a in AIRPORTS if a[6] > 0]
    w = np.array([a[6] for a in AIRPORTS if a[6] > 0], dtype=float)
    nf = 6000
    dest = rng.choice(dests, size=nf, p=w / w.sum())
    outbound = rng.random(nf) < 0.5
    origin = np.where(outbound, HUB, dest)
    dest = np.where(outbound, dest, HUB)
    other = np.where(outbound, dest, origin)
    dist = np.array([_km(o, d) for o, d in zip(origin, dest, strict=True)])
    lh = dist > 3500
    tail = np.array([rng.choice(tails[(long_haul == x) & ~retired]) for x in lh], dtype=object)
    tail[rng.random(nf) < 0.04] = None  # not assigned in the source system
    # more flights each year, 2022 through 2025, summer peak
    day = np.floor(4 * 365 * rng.random(nf) ** 0.85).astype(int)
    summer = rng.random(nf) < 0.15
    day[summer] = (day[summer] // 365) * 365 + rng.integers(150, 240, summer.sum())
    dep = (np.datetime64("2022-01-01T00:00") + (day * 1440).astype("timedelta64[m]")
           + (5 * 60 + 5 * rng.integers(0, 204, nf)).astype("timedelta64[m]"))
    block = np.round(dist / 780 * 60 + 35).astype(int)
    arr = dep + block.astype("timedelta64[m]")
    delay = np.round(rng.exponential(14, nf) - 6).astype(int)
    big = rng.random(nf) < 0.05
    delay[big] += rng.integers(60, 300, big.sum())
    status = pick(rng, ["Landed", "Cancelled", "Diverted"], nf, [96.5, 2.8, 0.7])
    flown = status == "Landed"
    dep_delay = np.maximum(delay + rng.integers(-4, 6, nf), -5)
    act_dep = np.where(status != "Cancelled", dep + dep_delay.astype("timedelta64[m]"),
                       np.datetime64("NaT"))
    act_arr = np.where(flown, arr + delay.astype("timedelta64[m]"), np.datetime64("NaT"))
    order = np.argsort(dep, kind="stable")
    num = {d: 100 + 2 * i for i, d in enumerate(sorted(set(dests)))}
    fnum = np.array([f"KX{num[o] + (0 if ob else 1)}"
                     for o, ob in zip(other, outbound, strict=True)], dtype=object)
    fid = np.arange(1, nf + 1)
    load(con, f"{S}.Flights", {
        "FlightId": fid, "FlightNumber": fnum[order], "OriginAirport": origin[order].astype(object),
        "DestinationAirport": dest[order].astype(object), "TailNumber": tail[order],
        "ScheduledDeparture": dep[order], "ScheduledArrival": arr[order],
        "ActualDeparture": act_dep[order], "ActualArrival": act_arr[order],
        "FlightStatus": status[order], "DistanceKm": dist[order],
        "ArrivalDelayMinutes": np.where(flown, delay, None)[order]})
    _passengers(con, rng, fid, dep[order], status[order], lh[order])


def _passengers(con, rng, fid, dep, fstatus, lh) -> None:
    npx = 2500
    nat = pick(rng, ["NL", "GB", "DE", "FR", "US", "ES", "IT", "BE", "IN", "CN", None], npx,
               [30, 12, 10, 8, 8, 6, 5, 5, 4, 4, 2])
    load(con, f"{S}.Passengers", {
        "PassengerId": np.arange(1, npx + 1), "FirstName": pick(rng, FIRST_NAMES, npx),
        "LastName": pick(rng, LAST_NAMES, npx),
        "DateOfBirth": with_nulls(rng, [dt.date(1940, 1, 1) + dt.timedelta(days=int(d)) for d in
                                        rng.integers(0, 65 * 365, npx)], 0.05),
        "Nationality": nat,
        "LoyaltyTier": pick(rng, [None, "Blue", "Silver", "Gold", "Platinum"], npx,
                            [45, 30, 14, 8, 3]),
        "EnrolledOn": np.datetime64("2012-01-01") + rng.integers(0, 13 * 365, npx).astype(
            "timedelta64[D]")})
    nb = 11000
    freq = rng.lognormal(0, 1.0, npx)
    freq[rng.random(npx) < 0.08] = 0  # enrolled, never flew
    pax = rng.choice(np.arange(1, npx + 1), size=nb, p=freq / freq.sum())
    flight = rng.choice(fid, size=nb)
    cabin = pick(rng, ["Economy", "Premium Economy", "Business"], nb, [80, 8, 12])
    cabin[(~lh[flight - 1]) & (cabin == "Premium Economy")] = "Economy"
    base = np.where(lh[flight - 1], 520, 130)
    mult = np.array([{"Economy": 1, "Premium Economy": 1.8, "Business": 3.6}[c] for c in cabin])
    fare = np.round(base * mult * rng.lognormal(0, 0.4, nb), 2)
    lead = rng.gamma(2, 20, nb) * 1440 + 60
    booked = dep[flight - 1] - lead.astype(int).astype("timedelta64[m]")
    bstatus = pick(rng, ["Flown", "Cancelled", "NoShow"], nb, [88, 9, 3])
    bstatus[fstatus[flight - 1] == "Cancelled"] = "Cancelled"
    refs = np.array(["".join(rng.choice(list("ABCDEFGHJKLMNPQRSTUVWXYZ23456789"), 6))
                     for _ in range(nb)], dtype=object)
    order = np.argsort(booked, kind="stable")
    load(con, f"{S}.Bookings", {
        "BookingId": np.arange(1, nb + 1), "BookingReference": refs[order],
        "PassengerId": pax[order], "FlightId": flight[order], "BookedAt": booked[order],
        "CabinClass": cabin[order], "FareEur": fare[order],
        "CheckedBags": rng.choice([0, 1, 2, 3], size=nb, p=[.38, .45, .14, .03])[order],
        "BookingStatus": bstatus[order]})
