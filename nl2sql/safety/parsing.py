"""Checks 1 and 2: the text parses cleanly as GoogleSQL, into exactly one statement.

sqlglot's BigQuery dialect does not fail on statements it does not understand
(``EXECUTE IMMEDIATE``, ``CALL``, ``BEGIN … END``, ``IF``, ``LOOP``): it wraps
the raw text in an opaque ``exp.Command``. Nothing inside a Command can be
checked, so any Command, anywhere, is a parse failure here.
"""

from __future__ import annotations

import re

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ParseError, TokenError

from nl2sql.errors import UnsafeSQL
from nl2sql.safety.locate import at, position, statement_start
from nl2sql.safety.policy import MAX_CTES, MAX_SQL_NODES, MAX_SQL_TOKENS, Policy

DIALECT = "bigquery"


def check_parse(sql: str, policy: Policy) -> list[exp.Expr]:
    """Parse ``sql`` into its statements; raise ``UnsafeSQL`` unless it parses cleanly.

    Each statement's root carries ``meta["start"]``, the offset where it begins.

    >>> [type(s).__name__ for s in check_parse("SELECT 1; -- done", Policy())]
    ['Select']
    >>> check_parse("CALL d.proc()", Policy())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    nl2sql.errors.UnsafeSQL: `CALL d.proc()` is not a query this service can check: ...
    """
    try:
        dialect = Dialect.get_or_raise(DIALECT)
        tokens = dialect.tokenize(sql)
        if len(tokens) > MAX_SQL_TOKENS:
            raise UnsafeSQL(f"the SQL has {len(tokens)} tokens; at most {MAX_SQL_TOKENS} are "
                            "checked: split the question or simplify the query",
                            check="parse", construct="size")
        parsed = dialect.parser().parse(tokens, sql)
    except ParseError as e:
        raise _parse_error(sql, e) from None
    except TokenError:
        raise UnsafeSQL(
            "the SQL does not parse as GoogleSQL: a string, quoted name or comment is not closed",
            check="parse",
        ) from None
    except RecursionError:
        raise UnsafeSQL("the SQL is nested too deeply to check; simplify it",
                        check="parse") from None
    # Empty statements (";;") parse to None, and a comment after the last
    # semicolon to a bare Semicolon node that only carries the comment.
    statements = [s for s in parsed if s is not None and not _only_comment(s)]
    _check_complexity(statements)
    _mark_starts(sql, statements)
    for statement in statements:
        # sqlglot falls back to Command for whole statements; a Command nested
        # deeper is still refused, by the query-only check's denylist.
        if isinstance(statement, exp.Command):
            text = _command_text(statement)
            raise UnsafeSQL(
                f"`{text}` is not a query this service can check: "
                "only one read-only SELECT query is allowed",
                check="parse", construct=text.split()[0] if text else None,
                position=position(statement),
            )
    return statements


def _check_complexity(statements: list[exp.Expr]) -> None:
    nodes = ctes = 0
    for statement in statements:
        for node in statement.walk():
            nodes += 1
            ctes += isinstance(node, exp.CTE)
    if nodes > MAX_SQL_NODES or ctes > MAX_CTES:
        what = f"{ctes} CTEs" if ctes > MAX_CTES else f"{nodes} syntax nodes"
        limit = f"{MAX_CTES} CTEs" if ctes > MAX_CTES else f"{MAX_SQL_NODES} nodes"
        raise UnsafeSQL(f"the SQL is too complex to check ({what}; at most {limit}): "
                        "simplify the query", check="parse", construct="size")


def check_single_statement(statements: list[exp.Expr], policy: Policy) -> exp.Expr:
    """The one statement, or ``UnsafeSQL`` when there are none or several.

    >>> check_single_statement(check_parse("SELECT 1; SELECT 2", Policy()), Policy())
    Traceback (most recent call last):
    ...
    nl2sql.errors.UnsafeSQL: only one statement is allowed: found 2, the second at position 10
    """
    if not statements:
        raise UnsafeSQL("the SQL is empty: write one SELECT query", check="single_statement")
    if len(statements) > 1:
        second = statements[1].meta.get("start")
        raise UnsafeSQL(
            f"only one statement is allowed: found {len(statements)}, the second{at(second)}",
            check="single_statement", construct=type(statements[1]).__name__.upper(),
            position=second,
        )
    return statements[0]


def _only_comment(statement: exp.Expr) -> bool:
    return isinstance(statement, exp.Semicolon) and not any(statement.args.values())


def _mark_starts(sql: str, statements: list[exp.Expr]) -> None:
    """Record where each statement starts: after the semicolon that ends the one before."""
    for i, statement in enumerate(statements):
        if i == 0:
            statement.meta["start"] = statement_start(sql)
            continue
        inside = position(statement)
        if inside is not None:
            statement.meta["start"] = statement_start(sql, sql.rfind(";", 0, inside) + 1)


def _command_text(command: exp.Command) -> str:
    words = f"{command.name} {command.text('expression')}".split()
    text = " ".join(words)
    return text if len(text) <= 60 else text[:59] + "…"


def _parse_error(sql: str, error: ParseError) -> UnsafeSQL:
    first = error.errors[0] if error.errors else {}
    description = str(first.get("description") or "unexpected syntax").split(". Line")[0]
    highlight = str(first.get("highlight") or "")
    pos: int | None = None
    line, col = first.get("line"), first.get("col")
    if isinstance(line, int) and isinstance(col, int):
        # sqlglot reports the 1-based line and the column just past the
        # offending token; turn that into an offset of the token's start.
        line_start = sum(len(s) + 1 for s in sql.split("\n")[: line - 1])
        pos = max(0, line_start + col - len(highlight))
    near = f" near `{highlight}`" if highlight else ""
    return UnsafeSQL(
        f"the SQL does not parse as GoogleSQL: {_sentence(description)}{near}{at(pos)}",
        check="parse", construct=highlight or None, position=pos,
    )


def _sentence(description: str) -> str:
    # sqlglot's descriptions embed token reprs; keep the message one short clause.
    text = description.split(" but got <Token")[0]
    text = re.sub(r" for <class '[^']*'>", "", text)
    return text[:1].lower() + text[1:] if text else "unexpected syntax"
