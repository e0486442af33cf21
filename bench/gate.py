"""How much the safety gate costs next to just parsing the SQL.

Runs every statement of the golden corpora (tests/safety/golden/*.yaml)
through ``check_sql`` and through a bare ``sqlglot.parse_one(sql,
read="bigquery")``, interleaved in one process so both see the same machine,
and prints per-query p50/p99 for each and the ratio gate/parse (of the totals
and the median of per-query ratios), for safe and unsafe input separately and
together.

    .venv/bin/python bench/gate.py [--repeat 15] [--json]

It also measures the DuckDB engine check (``nl2sql/safety/engine.py``: DuckDB's
lexer, parser and bound plan of the transpiled text) on the accepted queries of
``tests/safety/golden/engine.yaml`` against the canary warehouse, next to
running the same query, and prints both and their ratio.

Targets (printed, never enforced): gate p50 under 2 ms, ratio under 2. They
are judged on the whole corpus and on accepted SQL alone. On accepted SQL the
gate parses twice (once to check, once more to check the text it hands back)
and renders once, so its ratio is about 2 plus rendering by design; refusals
usually stop long before that.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlglot
import yaml

from nl2sql.safety import CHECKS, TEXT_CHECKS, Policy, UnsafeSQL, check_sql, render
from nl2sql.safety.parsing import check_parse
from nl2sql.safety.roundtrip import check_round_trip
from nl2sql.safety.tables import referenced_tables

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "safety" / "golden"
DEFAULT_POLICY = {"allowed_datasets": ["thelook_ecommerce", "analytics_123456"],
                  "project": "acme-analytics", "max_rows": 1000}
TARGET_P50_MS = 2.0
TARGET_RATIO = 2.0


def corpus() -> list[tuple[str, str, Policy]]:
    """(kind, sql, policy) for every golden case."""
    cases = []
    for kind in ("safe", "unsafe"):
        for raw in yaml.safe_load((GOLDEN / f"{kind}.yaml").read_text(encoding="utf-8")):
            sql = raw["sql"] * raw.get("repeat", 1)
            if "nest" in raw:
                sql = sql.replace("{}", "(" * raw["nest"] + "1" + ")" * raw["nest"])
            p = {**DEFAULT_POLICY, **raw.get("policy", {})}
            cases.append((kind, sql, Policy(frozenset(p["allowed_datasets"]), p["project"],
                                            p["max_rows"])))
    return cases


def gate(sql: str, policy: Policy) -> None:
    with contextlib.suppress(UnsafeSQL):
        check_sql(sql, policy)


def parse(sql: str, policy: Policy) -> None:
    with contextlib.suppress(Exception):  # a failed parse is still the baseline's cost
        sqlglot.parse_one(sql, read="bigquery")


def seconds(fn: Callable[[str, Policy], None], sql: str, policy: Policy) -> float:
    start = time.perf_counter()
    fn(sql, policy)
    return time.perf_counter() - start


def measure(cases: list[tuple[str, str, Policy]], repeat: int) -> list[dict[str, Any]]:
    rows = []
    for kind, sql, policy in cases:
        gate(sql, policy)  # warm caches (dialect, verdict tables)
        parse(sql, policy)
        g, p = [], []
        for _ in range(repeat):  # interleave so drift hits both sides alike
            g.append(seconds(gate, sql, policy))
            p.append(seconds(parse, sql, policy))
        rows.append({"kind": kind, "gate": statistics.median(g), "parse": statistics.median(p)})
    return rows


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def summary(rows: list[dict[str, Any]]) -> dict[str, float]:
    gate_ms = [r["gate"] * 1000 for r in rows]
    parse_ms = [r["parse"] * 1000 for r in rows]
    return {
        "queries": len(rows),
        "gate_p50_ms": percentile(gate_ms, 0.50), "gate_p99_ms": percentile(gate_ms, 0.99),
        "parse_p50_ms": percentile(parse_ms, 0.50), "parse_p99_ms": percentile(parse_ms, 0.99),
        "ratio_of_totals": sum(gate_ms) / sum(parse_ms),
        "median_ratio": statistics.median(g / p for g, p in zip(gate_ms, parse_ms, strict=True)),
    }


def stages(cases: list[tuple[str, str, Policy]], repeat: int) -> dict[str, float]:
    """Where the gate's time goes on accepted SQL: mean ms per query and stage.

    Runs the gate's own stage functions in the gate's order, so the split
    explains the ratio: two parses and a render are the floor of the round trip.
    """
    spent = dict.fromkeys(("parse", "tree checks", "render", "re-parse", "re-check", "bare parse"),
                          0.0)
    accepted = [(sql, policy) for kind, sql, policy in cases if kind == "safe"]
    clock = time.perf_counter
    for _ in range(repeat):
        for sql, policy in accepted:
            t0 = clock()
            value: Any = sql
            for text_check in TEXT_CHECKS:
                value = text_check(value, policy)
            t1 = clock()
            for check in CHECKS:
                value = check(value, policy)
            tables = referenced_tables(value, policy)
            t2 = clock()
            rendered = render(value)
            t3 = clock()
            check_parse(rendered, policy)  # the round trip's first step, timed alone
            t4 = clock()
            check_round_trip(rendered, tables, policy)  # parses again, then re-checks
            t5 = clock()
            sqlglot.parse_one(sql, read="bigquery")
            t6 = clock()
            for name, seconds in zip(spent, (t1 - t0, t2 - t1, t3 - t2, t4 - t3,
                                             (t5 - t4) - (t4 - t3), t6 - t5), strict=True):
                spent[name] += seconds
    n = repeat * len(accepted)
    return {name: seconds * 1000 / n for name, seconds in spent.items()}


def engine_cost(repeat: int) -> dict[str, float]:
    """Median ms per query: transpile, the engine check alone, and running the query."""
    import tempfile

    sys.path.insert(0, str(ROOT))
    from nl2sql.config import Settings
    from nl2sql.safety.engine import check_engine, shadowing_functions
    from nl2sql.safety.transpile import to_duckdb
    from nl2sql.warehouse.duckdb import CATALOG, DuckDBWarehouse
    from tests.safety.canary import build_canary

    safe = yaml.safe_load((GOLDEN / "engine.yaml").read_text(encoding="utf-8"))["safe"]
    policy = Policy(frozenset({"shop"}), None, 100)
    with tempfile.TemporaryDirectory() as tmp:
        wh = DuckDBWarehouse(build_canary(Path(tmp)), Settings(allowed_datasets=("shop",)))
        try:
            views = wh._information_schema()
            schemas = wh.readable_schemas()
            spent: dict[str, list[float]] = {"transpile": [], "engine check": [], "run": []}
            for case in safe:
                sql = check_sql(case["sql"], policy).sql
                cur = wh._cursor()
                try:
                    # Once per warehouse, as the warehouse does (the file cannot change).
                    shadows = shadowing_functions(cur, CATALOG, schemas)
                    for _ in range(repeat):
                        t0 = time.perf_counter()
                        duck = to_duckdb(sql, views)
                        t1 = time.perf_counter()
                        check_engine(cur, duck, catalog=CATALOG, schemas=schemas,
                                     shadows=shadows)
                        t2 = time.perf_counter()
                        cur.execute(duck).fetchall()
                        t3 = time.perf_counter()
                        spent["transpile"].append(t1 - t0)
                        spent["engine check"].append(t2 - t1)
                        spent["run"].append(t3 - t2)
                finally:
                    wh._release(cur)
        finally:
            wh.close()
    out = {f"{name} p50 ms": statistics.median(v) * 1000 for name, v in spent.items()}
    out["queries"] = len(safe)
    out["check/run"] = out["engine check p50 ms"] / out["run p50 ms"]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per query")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    # sqlglot logs a warning for every statement it falls back to Command on.
    logging.getLogger("sqlglot").setLevel(logging.ERROR)

    cases = corpus()
    rows = measure(cases, args.repeat)
    report: dict[str, Any] = {kind: summary([r for r in rows if kind in ("all", r["kind"])])
                              for kind in ("safe", "unsafe", "all")}
    report["safe_stages_ms"] = stages(cases, args.repeat)
    report["duckdb_engine"] = engine_cost(max(3, args.repeat // 3))
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"sqlglot {sqlglot.__version__}, {args.repeat} runs per query, median per query")
    print(f"{'':8}{'n':>5}{'gate p50':>10}{'gate p99':>10}{'parse p50':>11}{'parse p99':>11}"
          f"{'ratio':>8}{'med ratio':>11}")
    for kind in ("safe", "unsafe", "all"):
        s = report[kind]
        print(f"{kind:8}{s['queries']:>5}{s['gate_p50_ms']:>8.3f}ms{s['gate_p99_ms']:>8.3f}ms"
              f"{s['parse_p50_ms']:>9.3f}ms{s['parse_p99_ms']:>9.3f}ms"
              f"{s['ratio_of_totals']:>8.2f}{s['median_ratio']:>11.2f}")
    for kind in ("all", "safe"):
        s = report[kind]
        p50 = "met" if s["gate_p50_ms"] < TARGET_P50_MS else "missed"
        ratio = "met" if s["ratio_of_totals"] < TARGET_RATIO else "missed"
        print(f"targets on {kind}: gate p50 < {TARGET_P50_MS} ms {p50}; "
              f"ratio < {TARGET_RATIO} {ratio}")
    split = report["safe_stages_ms"]
    print("accepted SQL, mean ms per stage: "
          + ", ".join(f"{name} {ms:.3f}" for name, ms in split.items()))
    engine = report["duckdb_engine"]
    print(f"DuckDB engine check on {engine['queries']:.0f} accepted queries, p50: "
          f"transpile {engine['transpile p50 ms']:.3f} ms, "
          f"engine check {engine['engine check p50 ms']:.3f} ms, "
          f"run {engine['run p50 ms']:.3f} ms (check/run {engine['check/run']:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
