"""Build the held-out evaluation warehouses: one DuckDB file per domain.

usage: python eval/heldout/build.py [OUTDIR]   (default data/heldout)

Each file holds one schema (= one dataset) named after the domain: OUTDIR/heldout-<domain>.duckdb.
Deterministic: a fixed seed per domain; needs only the standard library, duckdb and numpy.
"""
from __future__ import annotations

import pathlib
import sys
import time
import zlib

import duckdb
import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from domains import airline, clinic, hr, university  # noqa: E402

DOMAINS = {"clinic": clinic, "airline": airline, "hr": hr, "university": university}


def main(argv: list[str]) -> int:
    out = pathlib.Path(argv[1] if len(argv) > 1 else "data/heldout")
    out.mkdir(parents=True, exist_ok=True)
    for name, module in DOMAINS.items():
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
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
