"""The last check: the SQL handed to the warehouse, read again, passes every check.

The gate decides on a syntax tree but the warehouse receives text, rendered
from that tree by sqlglot. Rendering is not always the inverse of parsing: a
malformed tree (``FROM SELECT*`` parses to a SELECT sitting bare in a FROM
clause) renders to text that reads back as something else. So the rendered
text is parsed once more and must come back as one query that passes the
query-only, table and function checks, reads the same tables and still carries
the row cap. Nothing the gate returns was only ever seen as a tree.
"""

from __future__ import annotations

from nl2sql.errors import UnsafeSQL
from nl2sql.safety.functions import check_functions
from nl2sql.safety.parsing import check_parse, check_single_statement
from nl2sql.safety.policy import Policy
from nl2sql.safety.rowcap import row_limit
from nl2sql.safety.statements import check_query_only
from nl2sql.safety.tables import referenced_tables

CHECK = "round_trip"

_UNFAITHFUL = ("the query could not be rewritten faithfully for the warehouse ({why}); "
               "write it as plain GoogleSQL")


def check_round_trip(rendered: str, tables: tuple[str, ...], policy: Policy) -> str:
    """Return ``rendered`` if it reads back as a capped query over exactly ``tables``.

    >>> check_round_trip("SELECT a FROM shop.t LIMIT 11", ("shop.t",), Policy(max_rows=10))
    'SELECT a FROM shop.t LIMIT 11'
    >>> check_round_trip("SELECT * FROM SELECT * LIMIT 11", (), Policy(max_rows=10))
    Traceback (most recent call last):
    ...
    nl2sql.errors.UnsafeSQL: the query could not be rewritten faithfully for the warehouse \
(it lost its row cap); write it as plain GoogleSQL
    """
    try:
        tree = check_single_statement(check_parse(rendered, policy), policy)
        for check in (check_query_only, check_functions):
            tree = check(tree, policy)
        again = referenced_tables(tree, policy)  # checks each table as it goes
    except UnsafeSQL as e:
        raise UnsafeSQL(_UNFAITHFUL.format(why=e.message), check=CHECK,
                        construct=e.construct) from None
    if again != tables:
        raise UnsafeSQL(_UNFAITHFUL.format(why="it read different tables"), check=CHECK)
    limit = row_limit(tree)
    if limit is None or limit > policy.max_rows + 1:
        raise UnsafeSQL(_UNFAITHFUL.format(why="it lost its row cap"), check=CHECK)
    return rendered
