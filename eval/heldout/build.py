"""Build the held-out evaluation warehouses: one DuckDB file per domain.

usage: python eval/heldout/build.py [OUTDIR]   (default data/heldout)

Each file holds one schema (= one dataset) named after the domain: OUTDIR/heldout-<domain>.duckdb.
Deterministic: a fixed seed per domain; needs only the standard library, duckdb and numpy.
"""
from __future__ import annotations

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from domains import airline, clinic, hr, university  # noqa: E402
from domains.common import build_all  # noqa: E402

DOMAINS = {"clinic": clinic, "airline": airline, "hr": hr, "university": university}


def main(argv: list[str]) -> int:
    build_all(DOMAINS, pathlib.Path(argv[1] if len(argv) > 1 else "data/heldout"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
