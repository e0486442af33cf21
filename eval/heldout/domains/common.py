"""Helpers shared by the domain builders: bulk loading from NumPy and name pools."""
from __future__ import annotations

import datetime as dt
import pathlib
import time
import zlib
from typing import Any

import duckdb
import numpy as np

FIRST_NAMES = [
    "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William",
    "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Charles", "Karen", "Christopher", "Nancy", "Daniel", "Lisa", "Matthew", "Betty", "Anthony",
    "Margaret", "Mark", "Sandra", "Donald", "Ashley", "Steven", "Kimberly", "Paul", "Emily",
    "Andrew", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda", "Brian",
    "Melissa", "George", "Deborah", "Timothy", "Stephanie", "Ronald", "Rebecca", "Jason",
    "Sharon", "Edward", "Laura", "Jeffrey", "Cynthia", "Ryan", "Kathleen", "Jacob", "Amy",
    "Priya", "Wei", "Mohammed", "Fatima", "Hiroshi", "Yuki", "Olga", "Lars", "Ingrid", "Pierre",
    "Chloe", "Mateo", "Lucia", "Ahmed", "Aisha", "Raj", "Ananya", "Sven", "Freya", "Diego",
    "Sofia", "Kwame", "Amara", "Ivan", "Elena",
]
LAST_NAMES = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Patel", "Chen", "Kim", "Singh",
    "Tanaka", "Muller", "Rossi", "Dubois", "Jansen", "Novak", "Kowalski", "Silva", "Costa",
    "Ivanova", "Larsen", "Okafor", "Mensah", "Haddad", "Sato", "Park", "Gupta", "Khan", "Fischer",
    "Schmidt", "Moreau", "Bianchi",
]


def pick(rng: np.random.Generator, values: list[Any] | tuple[Any, ...], n: int,
         p: Any = None) -> np.ndarray:
    """n draws from values (weights p, normalised), as an object array."""
    w = None if p is None else np.asarray(p, dtype=float) / float(np.sum(p))
    idx = rng.choice(len(values), size=n, p=w)
    return np.array([values[i] for i in idx], dtype=object)


def with_nulls(rng: np.random.Generator, values: Any, rate: float) -> np.ndarray:
    """values as an object array with about `rate` of them replaced by None (SQL NULL)."""
    out = np.array(list(values), dtype=object)
    out[rng.random(len(out)) < rate] = None
    return out


def days_after(start: dt.date, offsets: Any) -> np.ndarray:
    """Dates start + offset days, as datetime64[D]."""
    return np.datetime64(start, "D") + np.asarray(offsets, dtype="int64").astype("timedelta64[D]")


def load(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, Any]) -> None:
    """INSERT the column arrays into table (which already exists with its types)."""
    data = {}
    for name, values in columns.items():
        arr = np.asarray(values)
        if arr.dtype.kind == "M":  # DuckDB scans datetime64 only at s/ms/us/ns precision
            arr = arr.astype("datetime64[us]")
        if arr.dtype == object and all(v is None for v in arr):
            arr = np.array([None] * len(arr), dtype=object)
        data[name] = arr
    con.register("_heldout_src", data)
    names = ", ".join(columns)
    con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _heldout_src")
    con.unregister("_heldout_src")


def comment(con: duckdb.DuckDBPyConnection, table: str, text: str,
            columns: dict[str, str] | None = None) -> None:
    """COMMENT ON the table and the given columns."""
    con.execute(f"COMMENT ON TABLE {table} IS '{_q(text)}'")
    for col, note in (columns or {}).items():
        con.execute(f"COMMENT ON COLUMN {table}.{col} IS '{_q(note)}'")


def _q(s: str) -> str:
    return s.replace("'", "''")


def build_all(domains: dict[str, Any], out: pathlib.Path) -> None:
    """Write OUTDIR/heldout-<domain>.duckdb for each domain module (its ``build(con, rng)``),
    deterministically: a seed from the domain's name, one thread."""
    out.mkdir(parents=True, exist_ok=True)
    for name, module in domains.items():
        t = time.perf_counter()
        path = out / f"heldout-{name}.duckdb"  # not <schema>.duckdb: catalog = schema is ambiguous
        path.unlink(missing_ok=True)
        con = duckdb.connect(str(path))
        con.execute("SET threads = 1")  # one thread keeps insertion order (row ids) stable
        module.build(con, np.random.default_rng(zlib.crc32(name.encode())))
        con.execute("CHECKPOINT")
        sizes = con.execute(
            "SELECT table_name, estimated_size FROM duckdb_tables() ORDER BY table_name"
        ).fetchall()
        con.close()
        desc = ", ".join(f"{tn} {n}" for tn, n in sizes)
        print(f"{path} ({time.perf_counter() - t:.1f}s): {desc}")
