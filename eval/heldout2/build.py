"""Build the second set of held-out evaluation warehouses: one DuckDB file per domain.

usage: python eval/heldout2/build.py [OUTDIR]   (default data/heldout2)

Each file holds one schema (= one dataset) named after the domain: OUTDIR/heldout-<domain>.duckdb.
Deterministic: a fixed seed per domain; needs only the standard library, duckdb and numpy. The
loading helpers are the first set's (eval/heldout/domains/common.py), imported, not copied.
"""
from __future__ import annotations

import pathlib
import sys
import time
import zlib

import duckdb
import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # `domains` (this set) and `heldout.domains.common`

from domains import energy, library, logistics  # noqa: E402

DOMAINS = {"library": library, "energy": energy, "logistics": logistics}


def main(argv: list[str]) -> int:
    out = pathlib.Path(argv[1] if len(argv) > 1 else "data/heldout2")
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
