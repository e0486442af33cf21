"""DuckDB column types shown as the GoogleSQL types the model writes SQL against."""

from __future__ import annotations

_TYPES = {
    "BIGINT": "INT64", "INTEGER": "INT64", "SMALLINT": "INT64", "TINYINT": "INT64",
    "HUGEINT": "INT64", "UBIGINT": "INT64", "UINTEGER": "INT64",
    "DOUBLE": "FLOAT64", "FLOAT": "FLOAT64", "REAL": "FLOAT64",
    "VARCHAR": "STRING", "BOOLEAN": "BOOL", "BLOB": "BYTES",
    "TIMESTAMP WITH TIME ZONE": "TIMESTAMP", "TIMESTAMP": "TIMESTAMP", "DATE": "DATE",
    "TIME": "TIME", "JSON": "JSON", "UUID": "STRING",
}


def bigquery_type(duck_type: str) -> str:
    """Show DuckDB types as the GoogleSQL types the model writes SQL against."""
    base = duck_type.removesuffix("[]")
    if base.startswith("DECIMAL"):
        return "NUMERIC"
    if base.startswith("STRUCT"):
        return "STRUCT"
    return _TYPES.get(base, base)
