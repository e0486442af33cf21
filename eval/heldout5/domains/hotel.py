"""`hotel`: a small hotel group's bookings — hotels, guests, bookings and guest reviews.

Naming style: camelCase tables and columns, no declared keys (joins only by name:
`bookings.hotelId` = `hotels.hotelId`, `bookings.guestId` = `guests.guestId`,
`reviews.bookingId` = `bookings.bookingId`), COMMENTs on some columns only.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
from heldout.domains.common import FIRST_NAMES, LAST_NAMES, load

S = "hotel"
HOTELS = [  # name, city, stars, rooms, opened year, weight, base rate (EUR)
    ("Grand Canal Hotel", "Venice", 5, 120, 1998, 16, 320),
    ("Seaside Inn", "Nice", 3, 60, 2005, 14, 110),
    ("Old Town Lodge", "Prague", 3, 45, 2010, 12, 85),
    ("Harbour View", "Lisbon", 4, 90, 2012, 18, 150),
    ("Alpine Retreat", "Innsbruck", 4, 70, 2008, 10, 170),
    ("City Central", "Berlin", 3, 150, 2015, 20, 95),
    ("Royal Park Hotel", "Vienna", 5, 110, 2001, 10, 280),
    ("Dune Resort", "Lisbon", 4, 80, 2025, 0, 160),  # opens after the data ends
]
ROOM_TYPES = [("Standard", 1.0, 60), ("Deluxe", 1.5, 30), ("Suite", 2.6, 10)]
CHANNELS = ["Direct", "Booking.com", "Expedia", "Corporate", "Travel agent"]
COUNTRIES = ["DE", "FR", "GB", "US", "IT", "NL", "ES", "AT", "CH", "JP"]
TIERS = ["Silver", "Gold", "Platinum"]

DDL = f"""
CREATE SCHEMA {S};
CREATE TABLE {S}.hotels (hotelId INTEGER, hotelName VARCHAR, city VARCHAR,
  starRating INTEGER, roomCount INTEGER, openedYear INTEGER);
CREATE TABLE {S}.guests (guestId INTEGER, firstName VARCHAR, lastName VARCHAR,
  countryCode VARCHAR, loyaltyTier VARCHAR, createdAt TIMESTAMP);
CREATE TABLE {S}.bookings (bookingId INTEGER, hotelId INTEGER, guestId INTEGER,
  roomType VARCHAR, bookedAt TIMESTAMP, checkInDate DATE, checkOutDate DATE,
  nightlyRate DECIMAL(8, 2), adultCount INTEGER, salesChannel VARCHAR, bookingStatus VARCHAR);
CREATE TABLE {S}.reviews (reviewId INTEGER, bookingId INTEGER, reviewScore INTEGER,
  submittedAt TIMESTAMP);
"""


def _comments(con: duckdb.DuckDBPyConnection) -> None:
    for col, note in {
        "guests.countryCode": "ISO 3166 two-letter country of residence",
        "guests.loyaltyTier": "Loyalty programme tier; NULL when the guest is not a member",
        "bookings.nightlyRate": "Room price per night in EUR",
        "bookings.bookingStatus": "Confirmed (stayed), Cancelled, or NoShow (never arrived)",
        "bookings.salesChannel": "Where the booking was made",
        "reviews.reviewScore": "Guest rating from 1 (worst) to 10 (best)",
    }.items():
        con.execute(f"COMMENT ON COLUMN {S}.{col} IS '{note}'")


def build(con: duckdb.DuckDBPyConnection, rng: np.random.Generator) -> None:
    con.execute(DDL)
    load(con, f"{S}.hotels", {
        "hotelId": np.arange(1, len(HOTELS) + 1),
        "hotelName": np.array([h[0] for h in HOTELS], dtype=object),
        "city": np.array([h[1] for h in HOTELS], dtype=object),
        "starRating": np.array([h[2] for h in HOTELS]),
        "roomCount": np.array([h[3] for h in HOTELS]),
        "openedYear": np.array([h[4] for h in HOTELS])})
    n_g = 1600
    tier = np.array(rng.choice(TIERS, n_g, p=[.6, .3, .1]), dtype=object)
    tier[rng.random(n_g) < 0.55] = None
    created = np.datetime64("2020-01-01T00:00") + rng.integers(
        0, 60 * 24 * 365 * 5, n_g).astype("timedelta64[m]")
    load(con, f"{S}.guests", {
        "guestId": np.arange(1, n_g + 1),
        "firstName": np.array(rng.choice(FIRST_NAMES, n_g), dtype=object),
        "lastName": np.array(rng.choice(LAST_NAMES, n_g), dtype=object),
        "countryCode": np.array(rng.choice(COUNTRIES, n_g,
                                           p=[.22, .14, .14, .12, .1, .08, .07, .06, .04, .03]),
                                dtype=object),
        "loyaltyTier": tier, "createdAt": created})
    _comments(con)
    _bookings(con, rng, n_g)


def _bookings(con: duckdb.DuckDBPyConnection, rng: np.random.Generator, n_g: int) -> None:
    """4 200 bookings checking in from January 2023 to August 2025, busy summers; guests
    1401-1600 never booked; about a third of the stays got a review."""
    n = 4200
    hw = np.array([h[5] for h in HOTELS], dtype=float)
    gw = rng.pareto(2.0, n_g - 200) + 0.3
    start = dt.date(2023, 1, 1)
    rows = []
    while len(rows) < n:
        day = int(rng.integers(0, 973))  # .. 2025-08-31
        cin = start + dt.timedelta(days=day)
        if cin.month in (11, 12, 1, 2) and rng.random() < 0.45:
            continue
        h = int(rng.choice(len(HOTELS), p=hw / hw.sum()))
        rt = int(rng.choice(3, p=[.6, .3, .1]))
        season = 1.25 if cin.month in (6, 7, 8) else 1.0
        rate = round(HOTELS[h][6] * ROOM_TYPES[rt][1] * season * rng.uniform(0.85, 1.15), 2)
        nights = int(rng.choice([1, 2, 3, 4, 5, 7, 10], p=[.2, .25, .2, .12, .1, .1, .03]))
        lead = int(rng.integers(0, 120))
        booked = dt.datetime.combine(cin - dt.timedelta(days=lead), dt.time(0)) + dt.timedelta(
            minutes=int(rng.integers(0, 24 * 60)))
        status = str(rng.choice(["Confirmed", "Cancelled", "NoShow"], p=[.8, .16, .04]))
        rows.append((h + 1, int(rng.choice(n_g - 200, p=gw / gw.sum())) + 1,
                     ROOM_TYPES[rt][0], booked, cin, cin + dt.timedelta(days=nights), rate,
                     int(rng.choice([1, 2, 3, 4], p=[.3, .55, .1, .05])),
                     str(rng.choice(CHANNELS, p=[.3, .3, .2, .12, .08])), status))
    rows.sort(key=lambda r: r[3])
    c = list(zip(*rows, strict=True))
    load(con, f"{S}.bookings", {
        "bookingId": np.arange(1, n + 1), "hotelId": np.array(c[0]),
        "guestId": np.array(c[1]), "roomType": np.array(c[2], dtype=object),
        "bookedAt": np.array(c[3], dtype="datetime64[s]"),
        "checkInDate": np.array(c[4], dtype="datetime64[D]"),
        "checkOutDate": np.array(c[5], dtype="datetime64[D]"), "nightlyRate": np.array(c[6]),
        "adultCount": np.array(c[7]), "salesChannel": np.array(c[8], dtype=object),
        "bookingStatus": np.array(c[9], dtype=object)})
    rev = []
    for i, r in enumerate(rows):
        if r[9] == "Confirmed" and rng.random() < 0.35:
            base = 7.5 if HOTELS[r[0] - 1][2] >= 4 else 6.5
            score = int(np.clip(round(rng.normal(base, 1.6)), 1, 10))
            when = dt.datetime.combine(r[5], dt.time(9)) + dt.timedelta(
                hours=int(rng.integers(0, 24 * 14)))
            rev.append((i + 1, score, when))
    v = list(zip(*rev, strict=True))
    load(con, f"{S}.reviews", {
        "reviewId": np.arange(1, len(rev) + 1), "bookingId": np.array(v[0]),
        "reviewScore": np.array(v[1]), "submittedAt": np.array(v[2], dtype="datetime64[s]")})
