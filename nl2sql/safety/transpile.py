"""GoogleSQL to DuckDB SQL, refusing what would not mean the same on DuckDB.

The embedded warehouse runs sqlglot's DuckDB rendering of the checked
GoogleSQL. Some constructs have no faithful rendering: BigQuery's system
variables (``@@project_id``) become ``$$project_id``, which DuckDB reads as the
start of a dollar-quoted string; query parameters (``@name``, ``?``) would bind
to nothing the gate saw. These are refused here, by node type, before any
text is produced. Functions whose DuckDB rendering computes something else are
rewritten first (``nl2sql/safety/semantics.py``).

The rendered text is then judged by DuckDB itself (``nl2sql/safety/engine.py``).
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from nl2sql.errors import QueryError, UnsafeSQL
from nl2sql.safety.rendered import bounded_generator, check_rendered, check_rendered_size
from nl2sql.safety.semantics import for_duckdb

CHECK = "transpile"

#: Node types with no meaning-preserving DuckDB rendering -> what to say.
UNFAITHFUL: dict[type[exp.Expr], str] = {
    exp.SessionParameter: "system variables (@@name) do not exist in the DuckDB warehouse",
    exp.Parameter: "query parameters (@name) are not supported; write the value itself",
    exp.Placeholder: "query parameters (?) are not supported; write the value itself",
    # GoogleSQL has no lambdas (sqlglot's own DuckDB rendering may add some); in
    # DuckDB one runs a whole loop in a single call that nothing can interrupt
    # (LIST_REDUCE doubling a string 40 times builds a terabyte).
    exp.Lambda: "lambda functions (x -> ...) are not GoogleSQL; write the query without them",
    exp.Version: "time travel (FOR SYSTEM_TIME AS OF) is not available in the DuckDB warehouse, "
                 "which keeps no history; query the table as it is",
}


#: sqlglot's warnings that do not apply here: the warehouse's session time zone is
#: UTC, so EXTRACT from a TIMESTAMPTZ gives BigQuery's (UTC) answer.
FAITHFUL_ANYWAY = ("EXTRACT from TIMESTAMPTZ",)


def to_duckdb(sql: str, info_schema: Mapping[str, str] | None = None) -> str:
    """DuckDB SQL for one GoogleSQL query; ``UnsafeSQL`` for what has no faithful
    rendering, ``QueryError`` for what is not one statement.

    >>> to_duckdb("SELECT DATE_DIFF(DATE '2024-03-01', DATE '2024-01-01', DAY) AS d")
    "SELECT DATE_DIFF('DAY', CAST('2024-01-01' AS DATE), CAST('2024-03-01' AS DATE)) AS d"
    >>> to_duckdb("SELECT @@project_id")
    Traceback (most recent call last):
    ...
    nl2sql.errors.UnsafeSQL: system variables (@@name) do not exist in the DuckDB warehouse
    """
    try:
        statements = [s for s in sqlglot.parse(sql, read="bigquery") if s is not None]
    except (SqlglotError, RecursionError) as e:
        raise QueryError(f"cannot translate the query for DuckDB: {_first_line(e)}") from None
    if len(statements) != 1:  # never run the first and drop the rest silently
        raise QueryError("the DuckDB warehouse runs exactly one SELECT statement; "
                         f"found {len(statements)} statements")
    tree = statements[0]
    for node in tree.walk():
        if isinstance(node, exp.Parameter) and node.sql("bigquery").startswith("@@"):
            node = exp.SessionParameter()  # sqlglot reads some @@names as parameters
        if isinstance(node, exp.Cast) and node.args.get("format") is not None:
            raise UnsafeSQL("CAST(... FORMAT ...) is not supported by the DuckDB warehouse; "
                            "use FORMAT_DATE, FORMAT_TIMESTAMP or PARSE_DATE", check=CHECK,
                            construct="CAST ... FORMAT")
        why = UNFAITHFUL.get(type(node))
        if why:
            raise UnsafeSQL(why, check=CHECK, construct=node.sql("bigquery")[:40])
    tree = for_duckdb(tree)
    if "INFORMATION_SCHEMA" in sql.upper():
        tree = tree.transform(lambda node: _information_schema(node, info_schema or {}),
                              copy=False)
    check_rendered_size(tree)
    generator = bounded_generator()
    try:
        text = generator.generate(tree, copy=False)
    except SqlglotError as e:
        raise UnsafeSQL(f"the query uses something the DuckDB warehouse cannot run "
                        f"({_first_line(e)}); write it another way", check=CHECK) from None
    unfaithful = [m for m in generator.unsupported_messages
                  if not any(ok in m for ok in FAITHFUL_ANYWAY)]
    if unfaithful:
        raise UnsafeSQL(f"the query uses something the DuckDB warehouse cannot run "
                        f"faithfully ({unfaithful[0]}); write it another way", check=CHECK)
    check_rendered(text)
    return text


def _information_schema(node: exp.Expr, views: Mapping[str, str]) -> exp.Expr:
    """``dataset.INFORMATION_SCHEMA.VIEW`` -> the warehouse's table for VIEW, filtered to
    the dataset; a view the warehouse does not provide is refused with a reason."""
    if not isinstance(node, exp.Table) or not node.name.upper().startswith("INFORMATION_SCHEMA."):
        return node
    view = node.name.split(".", 1)[1].upper()
    source = views.get(view)
    if source is None:
        offered = ", ".join(sorted(views)) or "none"
        raise UnsafeSQL(f"INFORMATION_SCHEMA.{view} is not available in the DuckDB warehouse "
                        f"(offered: {offered}); call list_tables or get_table instead",
                        check=CHECK, construct=f"INFORMATION_SCHEMA.{view}")
    select = exp.select("*").from_(exp.to_table(source)).where(
        exp.EQ(this=exp.column("table_schema"), expression=exp.Literal.string(node.db)))
    alias = node.args.get("alias") or exp.TableAlias(this=exp.to_identifier(view.lower()))
    return exp.Subquery(this=select, alias=alias)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
