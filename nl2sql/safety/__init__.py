"""The read-only safety gate: one read-only query over allowed datasets, or ``UnsafeSQL``.

>>> from nl2sql.safety import Policy, check_sql
>>> check_sql("SELECT name FROM shop.users", Policy(frozenset({"shop"}), max_rows=10)).sql
'SELECT name FROM shop.users LIMIT 11'

See ``docs/safety.md`` for the layers and what an operator must still do.
"""

from nl2sql.errors import UnsafeSQL
from nl2sql.safety.functions import DENIED_FUNCTIONS, DENIED_NAMESPACES, DENIED_PREFIXES
from nl2sql.safety.gate import CHECKS, TEXT_CHECKS, check_sql, render
from nl2sql.safety.policy import MAX_SQL_CHARS, CheckedSQL, Policy

__all__ = [
    "CHECKS", "DENIED_FUNCTIONS", "DENIED_NAMESPACES", "DENIED_PREFIXES", "MAX_SQL_CHARS",
    "TEXT_CHECKS", "CheckedSQL", "Policy", "UnsafeSQL", "check_sql", "render",
]
