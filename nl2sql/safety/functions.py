"""Check 5: no function that reaches outside the warehouse or out of policy.

Functions are refused by name, case-insensitively, with the reason shown to the
model. The same GoogleSQL runs on BigQuery and, transpiled, on the embedded
DuckDB warehouse, so DuckDB's own dangerous functions are refused too: in an
embedded engine "outside the warehouse" is the server's filesystem, network
and settings.

User-defined functions are references like tables: ``dataset.fn(...)`` and
``project.dataset.fn(...)`` must name an allowed dataset (and the configured
project), exactly as check 4 demands of tables.
"""

from __future__ import annotations

from sqlglot import exp

from nl2sql.errors import UnsafeSQL
from nl2sql.safety.locate import at, position
from nl2sql.safety.names import resolve
from nl2sql.safety.policy import Policy

CHECK = "functions"

_REMOTE_AI = ("calls a remote AI model (Vertex AI): data leaves the warehouse "
              "and every row is billed")
_FILES = "reads files or URLs from the server in the embedded DuckDB engine"
_OTHER_DB = "reads another database, outside the allowed datasets"
_ENGINE = "exposes the embedded engine's settings, secrets or catalog of every schema"
_RUNS_SQL = "runs a SQL string that the gate never sees"
_WRITES = "changes the embedded engine's state or files"

#: Function name (upper case) -> why it is refused.
DENIED_FUNCTIONS: dict[str, str] = {
    # BigQuery
    "EXTERNAL_QUERY": "runs SQL in an external database (Cloud SQL, Spanner, AlloyDB) "
                      "through a connection, outside the allowed datasets",
    "EXTERNAL_OBJECT_TRANSFORM": "reads Cloud Storage objects outside the allowed datasets",
    "SESSION_USER": "reveals the identity of the service account",
    "ML.GENERATE_TEXT": _REMOTE_AI, "ML.GENERATE_EMBEDDING": _REMOTE_AI,
    "ML.GENERATE_TABLE": _REMOTE_AI, "ML.TRANSLATE": _REMOTE_AI,
    "ML.UNDERSTAND_TEXT": _REMOTE_AI, "ML.PROCESS_DOCUMENT": _REMOTE_AI,
    "ML.TRANSCRIBE": _REMOTE_AI, "ML.ANNOTATE_IMAGE": _REMOTE_AI,
    "DETERMINISTIC_DECRYPT_STRING": "decrypts protected columns; column protection stays on",
    "DETERMINISTIC_DECRYPT_BYTES": "decrypts protected columns; column protection stays on",
    "DLP_DETERMINISTIC_DECRYPT": "calls Cloud DLP to decrypt protected values",
    "DLP_DETERMINISTIC_ENCRYPT": "calls Cloud DLP, a service outside the warehouse",
    # DuckDB (the SQL is transpiled and run there)
    "GLOB": _FILES, "SNIFF_CSV": _FILES, "QUERY": _RUNS_SQL, "QUERY_TABLE": _RUNS_SQL,
    "JSON_EXECUTE_SERIALIZED_SQL": _RUNS_SQL, "GETENV": _ENGINE, "CURRENT_SETTING": _ENGINE,
    "GETVARIABLE": _ENGINE, "WHICH_SECRET": _ENGINE, "ARROW_SCAN": _FILES,
    "ARROW_SCAN_DUMB": _FILES, "PANDAS_SCAN": _FILES, "PYTHON_ARROW_SCAN": _FILES,
    "PYTHON_MAP_FUNCTION": _FILES, "SEQ_SCAN": _ENGINE, "ST_READ": _FILES, "ST_READ_META": _FILES,
    "ST_READOSM": _FILES, "ST_READSHP": _FILES, "SQLITE_SCAN": _OTHER_DB,
    "SQLITE_ATTACH": _OTHER_DB, "ODBC_SCAN": _OTHER_DB, "CHECKPOINT": _WRITES,
    "FORCE_CHECKPOINT": _WRITES, "WRITE_LOG": _WRITES, "IMPORT_DATABASE": _WRITES,
    "COPY_DATABASE": _WRITES, "TRUNCATE_DUCKDB_LOGS": _WRITES, "ADD_PARQUET_KEY": _WRITES,
    "NEXTVAL": _WRITES,
    "CURRENT_DATABASE": _ENGINE, "CURRENT_SCHEMA": _ENGINE, "CURRENT_SCHEMAS": _ENGINE,
    "CURRENT_CATALOG": _ENGINE, "CURRENT_QUERY": _ENGINE, "VERSION": _ENGINE,
    "COL_DESCRIPTION": _ENGINE, "OBJ_DESCRIPTION": _ENGINE, "SHOBJ_DESCRIPTION": _ENGINE,
    "FORMAT_TYPE": _ENGINE, "SQL_AUTO_COMPLETE": _ENGINE, "JSON_SERIALIZE_PLAN": _RUNS_SQL,
    "JSON_SERIALIZE_SQL": _RUNS_SQL, "JSON_DESERIALIZE_SQL": _RUNS_SQL,
    "DATABASE_LIST": _ENGINE, "DATABASE_SIZE": _ENGINE, "STORAGE_INFO": _ENGINE,
    "METADATA_INFO": _ENGINE, "TABLE_INFO": _ENGINE, "SHOW_TABLES": _ENGINE,
    "SHOW_TABLES_EXPANDED": _ENGINE, "SHOW_DATABASES": _ENGINE, "EXTENSION_VERSIONS": _ENGINE,
}

#: Name prefixes (upper case) -> why every function starting so is refused.
DENIED_PREFIXES: dict[str, str] = {
    "READ_": _FILES, "PARQUET_": _FILES, "ICEBERG_": _FILES, "DELTA_": _FILES,
    "HTTP_": "makes HTTP requests from the server",
    "POSTGRES_": _OTHER_DB, "MYSQL_": _OTHER_DB, "DUCKDB_": _ENGINE, "PRAGMA_": _ENGINE,
    "PG_": _ENGINE,
    "DUCKLAKE_": _OTHER_DB, "ENABLE_": _WRITES, "DISABLE_": _WRITES,
    "CREATE_EXTERNAL_": _WRITES, "REGISTER_EXTERNAL_": _WRITES,
    "DEREGISTER_EXTERNAL_": _WRITES, "DESTROY_EXTERNAL_": _WRITES,
}

#: Namespaces (upper case) whose every function is refused.
DENIED_NAMESPACES: dict[str, str] = {
    "AI": _REMOTE_AI,
    "OBJ": "creates signed URLs to or reads Cloud Storage objects",
    "KEYS": "handles key material and calls Cloud KMS",
    "AEAD": "decrypts protected columns; column protection stays on",
}

#: Built-in namespaces: ``NET.HOST(...)`` is a function, not a routine in dataset NET.
BUILTIN_NAMESPACES = frozenset({
    "NET", "HLL_COUNT", "KLL_QUANTILES", "ML", "AI", "OBJ", "KEYS", "AEAD",
})

# Wrapper nodes sqlglot uses for the SAFE. and NET. prefixes.
_PREFIX_WRAPPERS = {cls: ns for ns, name in (("SAFE", "SafeFunc"), ("NET", "NetFunc"))
                    if (cls := getattr(exp, name, None)) is not None}


def check_functions(tree: exp.Expr, policy: Policy) -> exp.Expr:
    """Return ``tree`` unless it calls a refused function or a routine outside policy.

    >>> import sqlglot
    >>> tree = sqlglot.parse_one("SELECT * FROM EXTERNAL_QUERY('c', 'SELECT 1')", read="bigquery")
    >>> check_functions(tree, Policy())
    Traceback (most recent call last):
    ...
    nl2sql.errors.UnsafeSQL: function `EXTERNAL_QUERY` is not allowed: it runs SQL in an external \
database (Cloud SQL, Spanner, AlloyDB) through a connection, outside the allowed datasets
    """
    for func in tree.find_all(exp.Func):
        if type(func) in _PREFIX_WRAPPERS:
            continue
        qualifier, base = _name(func)
        # SAFE. only turns errors into NULLs; what follows it is the real name.
        path = qualifier[1:] if qualifier[:1] and qualifier[0].upper() == "SAFE" else qualifier
        reason = _denied(path, base, func)
        if reason:
            shown = ".".join([*qualifier, base])
            raise UnsafeSQL(f"function `{shown}` is not allowed: it {reason}",
                            check=CHECK, construct=shown, position=position(func))
        # A built-in namespace is one part (NET.HOST, ML.PREDICT); anything
        # else qualified is a user-defined function or table function stored
        # in a dataset, and must live in an allowed one.
        if path and not (len(path) == 1 and path[0].upper() in BUILTIN_NAMESPACES):
            resolve([*path, base], policy, what="function", node=func, check=CHECK)
    return tree


def _name(func: exp.Func) -> tuple[list[str], str]:
    """``(qualifier parts, base name)`` of a call, as written."""
    if isinstance(func, exp.Anonymous):
        *qualifier, base = func.name.split(".")  # `p.d.fn`(...) keeps the dots
    else:
        qualifier, base = [], str(func.meta.get("bigquery_name") or func.sql_name())
    parent = func.parent
    if isinstance(parent, exp.Dot) and func.arg_key == "expression":
        qualifier = _dotted(parent.this, func) + qualifier
    elif isinstance(parent, exp.Table) and func.arg_key == "this":
        qualifier = [p.name for p in (parent.args.get("catalog"), parent.args.get("db")) if p] \
            + qualifier
    elif type(parent) in _PREFIX_WRAPPERS:
        qualifier = [_PREFIX_WRAPPERS[type(parent)], *qualifier]
    return qualifier, base


def _dotted(node: exp.Expr, func: exp.Func) -> list[str]:
    if isinstance(node, exp.Identifier):
        return [node.name]
    if isinstance(node, exp.Dot) and all(isinstance(p, exp.Identifier) for p in node.flatten()):
        return [p.name for p in node.flatten()]
    pos = position(func)
    raise UnsafeSQL(f"calling a function on an expression is not supported{at(pos)}",
                    check=CHECK, construct=func.sql("bigquery")[:60], position=pos)


def _denied(path: list[str], base: str, func: exp.Func) -> str | None:
    names = {base.upper(), func.sql_name().upper()}
    names.update(n.upper() for n in getattr(type(func), "_sql_names", ()) or ())
    if path:
        names.update(f"{path[-1].upper()}.{n}" for n in list(names))
        if path[0].upper() in DENIED_NAMESPACES:
            return DENIED_NAMESPACES[path[0].upper()]
    for name in names:
        if name in DENIED_FUNCTIONS:
            return DENIED_FUNCTIONS[name]
        for prefix, reason in DENIED_PREFIXES.items():
            if name.startswith(prefix):
                return reason
    return None
