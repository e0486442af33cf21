"""Rewrites that make GoogleSQL mean on DuckDB what it means on BigQuery.

sqlglot's DuckDB rendering of some BigQuery functions runs but computes
something else. Each rewrite below is one pure function on the tree, applied
before rendering (``for_duckdb``); ``tests/safety/test_semantics.py`` runs
each on a real DuckDB against BigQuery's documented results.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

Rewrite = Callable[[exp.Expr], exp.Expr]


def for_duckdb(tree: exp.Expr) -> exp.Expr:
    """Apply every rewrite in ``REWRITES`` to a copy of ``tree``."""
    tree = tree.copy()
    for rewrite in REWRITES:
        tree = tree.transform(rewrite, copy=False)
    return tree


REWRITES: tuple[Rewrite, ...] = ()
