"""Check 6: cap the rows a query returns without changing what it means.

The cap is applied to the outermost query's own LIMIT, never by wrapping the
query in ``SELECT * FROM (...) LIMIT n``, which would let the engine drop the
inner ORDER BY. Rules, with ``max_rows`` from the policy:

* a top-level ``LIMIT n`` with ``n <= max_rows`` is kept: the query already
  returns few enough rows, and nothing is cut (``truncated`` is false);
* otherwise the outermost LIMIT becomes ``max_rows + 1`` (ORDER BY and OFFSET
  stay where they are, for SELECTs, set operations and parenthesised queries
  alike; bare parentheses are looked through so an inner ORDER BY still
  decides which rows are kept). The warehouse keeps ``max_rows`` rows;
  receiving the extra row is how it knows the result was cut. The first
  ``max_rows`` rows are exactly the first ``max_rows`` rows of the uncapped
  query.

A LIMIT that is not a whole-number literal (a parameter, an expression) is
refused, since its size cannot be compared with the cap.
"""

from __future__ import annotations

from sqlglot import exp

from nl2sql.errors import UnsafeSQL
from nl2sql.safety.locate import at, position
from nl2sql.safety.policy import Policy

CHECK = "row_cap"


def check_row_cap(tree: exp.Expr, policy: Policy) -> exp.Expr:
    """Apply the row cap to ``tree`` in place and return it.

    >>> import sqlglot
    >>> def cap(sql):
    ...     tree = sqlglot.parse_one(sql, read="bigquery")
    ...     return check_row_cap(tree, Policy(max_rows=100)).sql("bigquery")
    >>> cap("SELECT a FROM d.t ORDER BY a")
    'SELECT a FROM d.t ORDER BY a LIMIT 101'
    >>> cap("SELECT a FROM d.t ORDER BY a LIMIT 10")
    'SELECT a FROM d.t ORDER BY a LIMIT 10'
    >>> cap("SELECT 1 AS a UNION ALL SELECT 2 ORDER BY a LIMIT 500 OFFSET 5")
    'SELECT 1 AS a UNION ALL SELECT 2 ORDER BY a LIMIT 101 OFFSET 5'
    >>> cap("((SELECT a FROM d.t ORDER BY a))")
    '((SELECT a FROM d.t ORDER BY a LIMIT 101))'
    """
    if not isinstance(tree, exp.Query):
        raise UnsafeSQL("only a query can have its rows capped", check=CHECK)
    target = _outermost_ordered(tree)
    limit = target.args.get("limit")
    if limit is None:
        target.set("limit", exp.Limit(expression=exp.Literal.number(policy.max_rows + 1)))
        return tree
    count = _whole_number(limit.expression) if isinstance(limit, exp.Limit) else None
    if count is None:
        pos = position(limit)
        raise UnsafeSQL(f"LIMIT must be a whole number such as LIMIT {policy.max_rows}{at(pos)}",
                        check=CHECK, construct=limit.sql("bigquery"), position=pos)
    if count > policy.max_rows:
        # Keep the Limit node (and anything else it carries); change only the count.
        limit.set("expression", exp.Literal.number(policy.max_rows + 1))
    return tree


def row_limit(tree: exp.Expr) -> int | None:
    """The whole-number LIMIT that bounds the result of ``tree``, if any.

    >>> import sqlglot
    >>> row_limit(sqlglot.parse_one("((SELECT 1 LIMIT 5))", read="bigquery"))
    5
    """
    limit = _outermost_ordered(tree).args.get("limit")
    return _whole_number(limit.expression) if isinstance(limit, exp.Limit) else None


def _outermost_ordered(tree: exp.Expr) -> exp.Expr:
    """The query whose LIMIT is the result's: bare parentheses are looked through,
    since a LIMIT outside them need not honour an ORDER BY inside them."""
    target = tree
    while isinstance(target, exp.Subquery) and not any(
        target.args.get(k) for k in ("order", "limit", "offset")
    ) and isinstance(target.this, exp.Query):
        target = target.this
    return target


def _whole_number(node: exp.Expr | None) -> int | None:
    if isinstance(node, exp.Literal) and not node.is_string:
        text = node.this
        if text.isascii() and text.isdigit():
            return int(text)
    return None
