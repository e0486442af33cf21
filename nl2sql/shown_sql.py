"""The SQL an answer shows: what the warehouse ran, without the service's row cap.

The warehouse runs the safety gate's re-rendering of the model's SQL (comments
dropped, ``INTERVAL 1 HOUR`` → ``INTERVAL '1' HOUR``, pipe syntax → CTEs), so
that is what the answer shows. The one thing taken back out is the ``LIMIT``
the gate adds as a row cap: it is reported as ``truncated``, and SQL re-run
from the answer (a CSV export, a pinned report) is capped again by its own
policy, which a cap baked into the text would defeat.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from nl2sql.safety.rowcap import _outermost_ordered, row_limit


def shown_sql(ran: str, row_cap: int, model_sql: str) -> str:
    """``ran`` with the cap's ``LIMIT row_cap + 1`` put back as the model wrote it.

    >>> shown_sql("SELECT a FROM d.t WHERE x > INTERVAL '1' HOUR LIMIT 11", 10,
    ...           "select a from d.t where x > interval 1 hour")
    "SELECT a FROM d.t WHERE x > INTERVAL '1' HOUR"
    >>> shown_sql("SELECT a FROM d.t LIMIT 5", 10, "SELECT a FROM d.t LIMIT 5")
    'SELECT a FROM d.t LIMIT 5'
    """
    try:
        tree = sqlglot.parse_one(ran, read="bigquery")
        target = _outermost_ordered(tree)
        if row_limit(tree) != row_cap + 1:
            return ran  # the model's own LIMIT, within the cap: nothing was added
        own = row_limit(sqlglot.parse_one(model_sql, read="bigquery"))
    except sqlglot.errors.SqlglotError:
        return ran
    if own == row_cap + 1:
        return ran
    if own is None:
        target.set("limit", None)
    else:
        target.args["limit"].set("expression", exp.Literal.number(own))
    return tree.sql("bigquery")
