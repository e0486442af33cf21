"""Our overhead against the raw engine, measured side by side in one run.

For each demo question, the whole `nl2sql ask` path (offline planner, metadata
calls, safety gate, transpilation, DuckDB) is timed, then the final SQL it ran
is timed again straight on a raw DuckDB connection. The ratio says how much
time the product adds around the engine's own work.

    .venv/bin/python bench/overhead.py --db data/demo.duckdb [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nl2sql.agent import Agent  # noqa: E402
from nl2sql.config import Settings  # noqa: E402
from nl2sql.models.offline import OfflinePlanner  # noqa: E402
from nl2sql.safety import Policy, check_sql  # noqa: E402
from nl2sql.warehouse.duckdb import DuckDBWarehouse, to_duckdb  # noqa: E402

QUESTIONS = [
    "How many orders are there?",
    "How many users are there by gender?",
    "What is the total sale price of all order items?",
    "What are the top 5 brands by number of order items?",
    "How many order items were created in each year?",
    "What percentage of orders are cancelled?",
    "What is the average retail price of products by department?",
    "Which country has the most users?",
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="data/demo.duckdb")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    settings = Settings(warehouse=f"duckdb:///{args.db}", model="offline")
    warehouse = DuckDBWarehouse(args.db, settings)
    agent = Agent(OfflinePlanner(), warehouse, settings)
    raw = duckdb.connect(args.db, read_only=True)
    policy = Policy(max_rows=settings.max_rows)

    print(f"{'question':58} {'ours ms':>9} {'raw ms':>8} {'ratio':>6}")
    totals_ours, totals_raw = [], []
    for question in QUESTIONS:
        agent.ask(question)  # warm metadata caches, as a running service has them
        ours, engine = [], []
        sql = None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            answer, _ = agent.ask(question)
            ours.append(time.perf_counter() - t0)
            sql = answer.sql
            if sql is None:
                break
            # The raw engine runs the same capped statement, already transpiled.
            duck_sql = to_duckdb(check_sql(sql, policy).sql)
            t0 = time.perf_counter()
            raw.execute(duck_sql).fetchall()
            engine.append(time.perf_counter() - t0)
        if sql is None:
            print(f"{question[:58]:58} {'(not answered)':>25}")
            continue
        o, r = statistics.median(ours), statistics.median(engine)
        totals_ours.append(o)
        totals_raw.append(r)
        print(f"{question[:58]:58} {o * 1000:9.1f} {r * 1000:8.1f} {o / r:6.1f}")
    if totals_raw:
        ratio = sum(totals_ours) / sum(totals_raw)
        extra = (sum(totals_ours) - sum(totals_raw)) / len(totals_raw) * 1000
        print(f"\noverall: ours/raw = {ratio:.2f}x; we add {extra:.1f} ms per question "
              "(planner, metadata, gate, transpile)")


if __name__ == "__main__":
    main()
