"""Check a held-out question set against its DuckDB file: every gold query runs the way
score.py runs it (BigQuery dialect transpiled by sqlglot), returns rows, has no NULL-only
result, and a top-N answer is not decided by a tie at the cut-off.

usage: python eval/heldout/check.py SET.json DB.duckdb [--show]
Exits 1 when a question fails a check.
"""
from __future__ import annotations

import json
import re
import sys

import duckdb
import sqlglot


def problems(con: duckdb.DuckDBPyConnection, q: dict, show: bool) -> list[str]:
    out: list[str] = []
    for key in ("id", "question"):
        if not q.get(key):
            out.append(f"missing {key}")
    if q.get("expect") == "decline":
        if "gold" in q:
            out.append("a question to decline has gold SQL")
        return out
    sql = sqlglot.transpile(q["gold"], read="bigquery", write="duckdb")[0]
    try:
        rows = con.execute(sql).fetchall()
    except duckdb.Error as e:
        return [f"gold fails: {e}"]
    if show:
        print(f"  {q['id']}: {len(rows)} rows {rows[:4]!r}")
    if not rows:
        out.append("gold returns no rows")
    elif all(v is None for r in rows for v in r):
        out.append("gold returns only NULLs")
    m = re.search(r"\bLIMIT\s+(\d+)\s*$", sql, re.I)
    if m and re.search(r"\bORDER BY\b", sql, re.I):
        n = int(m.group(1))
        more = con.execute(sql[: m.start()] + f"LIMIT {n + 1}").fetchall()
        if len(more) > n and _key(more[n - 1]) == _key(more[n]):
            out.append(f"tie at the LIMIT {n} cut-off: {more[n - 1]!r} / {more[n]!r}")
    if q.get("order") and "ORDER BY" not in sql.upper():
        out.append("order=true but the gold has no ORDER BY")
    return out


def _key(row: tuple) -> tuple:
    """The numbers of a row: two rows with equal numbers tie on whatever they are ordered by."""
    nums = tuple(v for v in row if isinstance(v, int | float) or type(v).__name__ == "Decimal")
    return nums or row


def main(argv: list[str]) -> int:
    path, db = argv[1], argv[2]
    show = "--show" in argv
    with open(path, encoding="utf-8") as f:
        qs = json.load(f)
    ids = [q["id"] for q in qs]
    bad = len(ids) != len(set(ids))
    if bad:
        print("duplicate ids")
    con = duckdb.connect(db, read_only=True)
    for q in qs:
        for p in problems(con, q, show):
            bad = True
            print(f"{q['id']}: {p}  ({q['question']})")
    n_dec = sum(q.get("expect") == "decline" for q in qs)
    verdict = "PROBLEMS" if bad else "all gold OK"
    print(f"{path}: {len(qs)} questions, {n_dec} to decline, {verdict}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
