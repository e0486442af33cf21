"""The bodies of the views and macros stored in a DuckDB database, as SELECT text.

DuckDB expands a view or a macro while binding, so the bound plan shows only
what the body computes: a view of an allowed schema whose body reads a
constant view, or calls a macro, of another schema leaves no scan of that
schema behind. The engine check therefore judges every stored body the way
it judges a query (``nl2sql/safety/engine.py``, ``tainted_definitions``).
"""

from __future__ import annotations

from typing import NamedTuple

import duckdb


class Definition(NamedTuple):
    schema: str
    name: str
    body: str | None  # one SELECT; None when it cannot be told (judged unsafe)


def definitions(con: duckdb.DuckDBPyConnection, catalog: str) -> list[Definition]:
    """Every view and macro of ``catalog``, each with its body as one SELECT statement.

    Everything is qualified with ``system``: the database's own macros must not
    answer this question.
    """
    views = con.execute(
        "SELECT schema_name, view_name, sql FROM system.main.duckdb_views() "
        "WHERE database_name = ? AND NOT internal", [catalog]).fetchall()
    macros = con.execute(
        "SELECT schema_name, function_name, function_type, macro_definition "
        "FROM system.main.duckdb_functions() WHERE database_name = ? "
        "AND function_type IN ('macro', 'table_macro')", [catalog]).fetchall()
    found = [Definition(schema, name, view_body(sql or "")) for schema, name, sql in views]
    for schema, name, kind, body in macros:
        # A scalar macro's body is an expression: as a SELECT item it parses the same way,
        # its parameters reading as column names (the check never binds it).
        text = (body if kind == "table_macro" else f"SELECT {body}") if body else None
        found.append(Definition(schema, name, text))
    return found


def view_body(create: str) -> str | None:
    """The SELECT of a ``CREATE VIEW name [(columns)] AS <select>`` statement, or None.

    The first ``AS`` keyword DuckDB's own lexer sees ends the header: names and
    the column list are identifiers or operators there, never keywords.

    >>> view_body('CREATE VIEW "as"."AS"(a) AS SELECT 1;')
    'SELECT 1'
    """
    try:
        tokens = duckdb.tokenize(create)
    except duckdb.Error:
        return None
    for start, kind in tokens:
        if kind == duckdb.token_type.keyword and create[start:start + 2].upper() == "AS" \
                and not create[start + 2:start + 3].isalnum():
            return create[start + 2:].strip().rstrip(";").strip() or None
    return None
