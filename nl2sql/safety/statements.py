"""Check 3: the statement is a query, and nothing anywhere inside it writes or scripts.

Two lists, applied to every node of the tree:

* a denylist of statement and clause kinds (DML, DDL, DCL, transaction
  control, scripting, EXPORT/LOAD DATA, ``SELECT … INTO``, locking clauses),
  so the model is told exactly what it wrote;
* an allowlist of everything a read-only query is made of (query nodes,
  expressions, functions, types and the clauses that hold them). Any node
  kind outside it is refused too, so a statement kind that a future sqlglot
  learns to parse is refused until someone reviews it and adds it here.

Functions are allowed here as a kind; which functions may run is check 5.
"""

from __future__ import annotations

import re
from typing import NoReturn

from sqlglot import exp

from nl2sql.errors import UnsafeSQL
from nl2sql.safety.locate import at, position, snippet
from nl2sql.safety.policy import Policy

CHECK = "query_only"

# sqlglot class name -> what the model wrote. Looked up by name so a class a
# given sqlglot version lacks is simply skipped.
_DENIED = {
    # DML
    "Insert": "INSERT", "Update": "UPDATE", "Delete": "DELETE", "Merge": "MERGE",
    "TruncateTable": "TRUNCATE", "Copy": "COPY", "MultitableInserts": "INSERT",
    "ConditionalInsert": "INSERT", "LoadData": "LOAD DATA", "Export": "EXPORT DATA",
    "Directory": "INSERT OVERWRITE DIRECTORY", "Returning": "RETURNING",
    "OnConflict": "ON CONFLICT",
    # DDL
    "Create": "CREATE", "Drop": "DROP", "Alter": "ALTER", "Undrop": "UNDROP",
    "Refresh": "REFRESH", "Cache": "CACHE", "Uncache": "UNCACHE", "SwapTable": "SWAP",
    "Analyze": "ANALYZE", "Comment": "COMMENT", "UserDefinedFunction": "a function definition",
    # DCL
    "Grant": "GRANT", "Revoke": "REVOKE",
    # transaction control
    "Transaction": "BEGIN TRANSACTION", "Commit": "COMMIT", "Rollback": "ROLLBACK",
    # scripting and session state
    "Declare": "DECLARE", "Set": "SET", "SetItem": "SET", "Execute": "EXECUTE",
    "ExecuteSql": "EXECUTE IMMEDIATE", "Block": "BEGIN … END", "IfBlock": "IF",
    "LoopBlock": "LOOP", "WhileBlock": "WHILE", "RepeatBlock": "REPEAT", "ForIn": "FOR … IN",
    "Return": "RETURN", "Leave": "LEAVE", "Iterate": "ITERATE", "EndStatement": "END",
    "StoredProcedure": "a procedure", "Command": "a command sqlglot cannot parse",
    # clauses that write or lock
    "Into": "SELECT … INTO", "Lock": "a locking clause (FOR UPDATE/FOR SHARE)",
    "LockingStatement": "LOCKING",
    # other engines' statements (DuckDB and friends)
    "Pragma": "PRAGMA", "Attach": "ATTACH", "Detach": "DETACH", "Install": "INSTALL",
    "Use": "USE", "Describe": "DESCRIBE", "Show": "SHOW", "Kill": "KILL", "Put": "PUT",
    "Get": "GET", "Summarize": "SUMMARIZE",
}
_DENIED_TYPES = {
    cls: label for name, label in _DENIED.items() if (cls := getattr(exp, name, None)) is not None
}

# What a read-only GoogleSQL query is made of, besides queries, expressions
# (Condition), functions (Func) and types (DataType).
_CLAUSES = (
    "From", "Join", "Where", "Group", "Having", "Qualify", "Order", "Ordered", "Limit", "Offset",
    "With", "CTE", "RecursiveWithSearch", "Table", "TableAlias", "Alias", "Aliases", "Identifier",
    "Star", "Var", "Pivot", "PivotAlias", "UnpivotColumns", "WindowSpec", "Tuple", "Interval",
    "Distinct", "Version", "Lambda", "ColumnDef", "DataTypeParam", "Cube", "Rollup",
    "GroupingSets", "IgnoreNulls", "RespectNulls", "HavingMax", "TableSample", "JSONPath",
    "JSONPathPart", "Slice", "MatchRecognize", "MatchRecognizeMeasure",
)
_ALLOWED_TYPES: tuple[type, ...] = (exp.Query, exp.Condition, exp.Func, exp.DataType) + tuple(
    cls for name in _CLAUSES if (cls := getattr(exp, name, None)) is not None
)

# Verdict per node class, filled on first sight: None (allowed) or a label.
_VERDICTS: dict[type, str | None] = {}


def check_query_only(tree: exp.Expr, policy: Policy) -> exp.Expr:
    """Return ``tree`` if it is one read-only query; raise ``UnsafeSQL`` otherwise.

    >>> import sqlglot
    >>> tree = sqlglot.parse_one("WITH x AS (DELETE FROM d.t WHERE TRUE) SELECT 1", read="bigquery")
    >>> check_query_only(tree, Policy())
    Traceback (most recent call last):
    ...
    nl2sql.errors.UnsafeSQL: only read-only queries are allowed: found DELETE at position 23
    """
    if not isinstance(tree, exp.Query):
        label = _verdict(type(tree))
        if label is None:  # an expression, e.g. "hello world" reads as `hello AS world`
            text = snippet(tree)
            _refuse(tree, f"`{text}`, which is not a query,", construct=text)
        _refuse(tree, _label(tree, label))
    for node in tree.walk():
        cls = type(node)
        label = _VERDICTS[cls] if cls in _VERDICTS else _verdict(cls)
        if label is not None:
            _refuse(node, _label(node, label))
        if cls is exp.Select and not node.expressions:
            # sqlglot accepts a bare "SELECT"; GoogleSQL does not, and neither do we.
            _refuse(node, "a SELECT without any columns", construct="SELECT")
    return tree


def _verdict(cls: type) -> str | None:
    label: str | None
    denied = [lab for kind, lab in _DENIED_TYPES.items() if issubclass(cls, kind)]
    if denied:
        label = denied[0]
    elif issubclass(cls, _ALLOWED_TYPES):
        label = None
    else:
        # Not reviewed: CamelCase class name to the SQL-ish words it stands for.
        label = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", cls.__name__).upper()
    _VERDICTS[cls] = label
    return label


def _label(node: exp.Expr, label: str) -> str:
    # CREATE and DROP say what they create or drop: "CREATE TEMPORARY FUNCTION".
    if label in ("CREATE", "DROP"):
        kind = str(node.args.get("kind") or "").upper()
        temporary = node.find(exp.TemporaryProperty) if hasattr(exp, "TemporaryProperty") else None
        return " ".join(p for p in (label, "TEMPORARY" if temporary else "", kind) if p)
    return label


def _refuse(node: exp.Expr, label: str, construct: str | None = None) -> NoReturn:
    pos = position(node)
    raise UnsafeSQL(f"only read-only queries are allowed: found {label}{at(pos)}",
                    check=CHECK, construct=construct or label, position=pos)
