"""PLACEHOLDER first gate: being replaced by the full pipeline (issue 3)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlglot
from sqlglot import exp

from nl2sql.errors import UnsafeSQL


@dataclass(frozen=True)
class Policy:
    allowed_datasets: frozenset[str] = frozenset()
    project: str | None = None
    max_rows: int = 1000


@dataclass(frozen=True)
class CheckedSQL:
    sql: str
    tables: tuple[str, ...]
    row_cap: int


def check_sql(sql: str, policy: Policy) -> CheckedSQL:
    try:
        trees = [t for t in sqlglot.parse(sql, read="bigquery") if t is not None]
    except sqlglot.errors.ParseError as e:
        raise UnsafeSQL(f"does not parse: {e}", check="parse") from None
    if len(trees) != 1:
        raise UnsafeSQL("exactly one statement is allowed", check="single_statement")
    tree = trees[0]
    if not isinstance(tree, exp.Query):
        raise UnsafeSQL("only queries are allowed", check="query_only")
    tree = tree.limit(policy.max_rows + 1) if not tree.args.get("limit") else tree
    return CheckedSQL(tree.sql(dialect="bigquery"), (), policy.max_rows)
