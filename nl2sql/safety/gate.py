"""The gate: run every check in order, then render the SQL that will actually run.

``check_sql`` is the only entry point the rest of the service uses. It raises
nothing but ``UnsafeSQL``: a check that fails in an unexpected way (a sqlglot
bug, a recursion limit) refuses the SQL rather than letting it through.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlglot import exp
from sqlglot.errors import ErrorLevel, UnsupportedError

from nl2sql.errors import UnsafeSQL
from nl2sql.safety.functions import check_functions
from nl2sql.safety.parsing import DIALECT, check_parse, check_single_statement
from nl2sql.safety.policy import CheckedSQL, Policy
from nl2sql.safety.rendered import bounded_generator
from nl2sql.safety.roundtrip import check_round_trip
from nl2sql.safety.rowcap import check_row_cap
from nl2sql.safety.statements import check_query_only
from nl2sql.safety.tables import check_tables, referenced_tables
from nl2sql.safety.text import check_input

Check = Callable[[exp.Expr, Policy], exp.Expr]

#: Checks on the text, in order: sane input, clean parse, exactly one statement.
TEXT_CHECKS = (check_input, check_parse, check_single_statement)

#: Checks on the statement's tree, in order; each returns the tree or raises.
CHECKS: tuple[Check, ...] = (check_query_only, check_tables, check_functions, check_row_cap)

#: After the tree checks: ``render`` the tree, then ``check_round_trip`` the text.


def check_sql(sql: str, policy: Policy) -> CheckedSQL:
    """Pass ``sql`` through every check; return what to run or raise ``UnsafeSQL``.

    The SQL returned is regenerated from the checked tree, without comments,
    then read back and checked once more (``check_round_trip``), so what runs
    is exactly what was checked, whatever tricks the input played.

    >>> checked = check_sql("SELECT id FROM shop.orders -- newest first\\nORDER BY id DESC",
    ...                     Policy(frozenset({"shop"}), max_rows=50))
    >>> checked.sql, checked.tables, checked.row_cap
    ('SELECT id FROM shop.orders ORDER BY id DESC LIMIT 51', ('shop.orders',), 50)
    >>> check_sql("DROP TABLE shop.orders", Policy())
    Traceback (most recent call last):
    ...
    nl2sql.errors.UnsafeSQL: only read-only queries are allowed: found DROP TABLE at position 0
    """
    text: str = run_check(check_input, sql, policy)
    statements: list[exp.Expr] = run_check(check_parse, text, policy)
    tree: exp.Expr = run_check(check_single_statement, statements, policy)
    for check in CHECKS:
        try:
            tree = run_check(check, tree, policy)
        except UnsafeSQL as e:
            raise _refine_position(text, e) from None
    tables = run_check(referenced_tables, tree, policy)
    rendered = run_check(render, tree)
    return CheckedSQL(run_check(check_round_trip, rendered, tables, policy), tables,
                      policy.max_rows)


def render(tree: exp.Expr) -> str:
    """GoogleSQL for ``tree``, comments dropped; refuses what sqlglot cannot render faithfully."""
    try:
        generator = bounded_generator(DIALECT, "render", comments=False,
                                      unsupported_level=ErrorLevel.RAISE)
        return str(generator.generate(tree, copy=False))
    except UnsupportedError as e:
        raise UnsafeSQL(f"the query uses something that cannot be written as GoogleSQL ({e}); "
                        "rewrite it", check="render") from None


def run_check(step: Callable[..., Any], *args: Any) -> Any:
    """Run one named check, failing closed: any error but ``UnsafeSQL`` refuses the SQL."""
    name = step.__name__.removeprefix("check_")
    try:
        return step(*args)
    except UnsafeSQL:
        raise
    except RecursionError:
        raise UnsafeSQL("the SQL is nested too deeply to check; simplify it", check=name) from None
    except Exception as e:  # fail closed: an unexpected failure never lets SQL through
        raise UnsafeSQL(f"the SQL could not be checked ({name}: {type(e).__name__}); "
                        "rewrite it more simply", check=name) from e


# The keyword a refused construct starts with, to point at it rather than at
# the first name inside it (sqlglot records positions on names only).
_ANCHORS = {
    "SELECT … INTO": re.compile(r"\bINTO\b", re.IGNORECASE),
    "a locking clause (FOR UPDATE/FOR SHARE)": re.compile(r"\bFOR\s+(?:UPDATE|SHARE)\b",
                                                          re.IGNORECASE),
}


def _refine_position(text: str, error: UnsafeSQL) -> UnsafeSQL:
    if error.check != "query_only" or not error.construct:
        return error
    anchor = _ANCHORS.get(error.construct)
    if anchor is None:
        word = error.construct.split()[0]
        if not word.isalpha() or not word.isupper():
            return error
        anchor = re.compile(rf"\b{word}\b", re.IGNORECASE)
    limit = len(text) if error.position is None else error.position
    starts = [m.start() for m in anchor.finditer(text, 0, limit + 1)]
    if not starts or starts[-1] == error.position:
        return error
    old = f" at position {error.position}" if error.position is not None else ""
    message = error.message.removesuffix(old) + f" at position {starts[-1]}"
    return UnsafeSQL(message, check=error.check, construct=error.construct, position=starts[-1])
