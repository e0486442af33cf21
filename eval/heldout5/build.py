"""Build the fifth set of held-out evaluation warehouses: one DuckDB file per domain.

usage: python eval/heldout5/build.py [OUTDIR]   (default data/heldout5)

Each file holds one schema (= one dataset) named after the domain: OUTDIR/heldout-<domain>.duckdb.
Deterministic: a fixed seed per domain; needs only the standard library, duckdb and numpy. The
loading helpers are the first set's (eval/heldout/domains/common.py), imported, not copied.
"""
from __future__ import annotations

import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # `domains` (this set) and `heldout.domains.common`

from domains import factory, hotel, saas  # noqa: E402
from heldout.domains.common import build_all  # noqa: E402

DOMAINS = {"saas": saas, "hotel": hotel, "factory": factory}


def main(argv: list[str]) -> int:
    build_all(DOMAINS, pathlib.Path(argv[1] if len(argv) > 1 else "data/heldout5"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
