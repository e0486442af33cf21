"""The engine check's first step: DuckDB's lexer and sqlglot's read the same text alike.

The text sqlglot rendered carries no comments, and DuckDB must see its string
literals exactly where sqlglot put them. A disagreement means the text would
not mean what was checked (``nl2sql/safety/engine.py`` runs this first).
"""

from __future__ import annotations

import duckdb
import sqlglot
from sqlglot.errors import SqlglotError
from sqlglot.tokens import TokenType

from nl2sql.errors import UnsafeSQL

CHECK = "engine"

UNFAITHFUL = ("the query could not be translated faithfully for the DuckDB engine ({why}); "
              "write it more plainly")

_SQLGLOT_STRINGS = {TokenType.STRING, TokenType.HEREDOC_STRING, TokenType.NATIONAL_STRING,
                    TokenType.RAW_STRING, TokenType.BYTE_STRING, TokenType.BIT_STRING,
                    TokenType.HEX_STRING, TokenType.UNICODE_STRING}


def check_lexer(sql: str) -> None:
    """DuckDB's lexer and sqlglot's agree on where strings are; no comments."""
    try:
        duck = duckdb.tokenize(sql)
        ours = sqlglot.Dialect.get_or_raise("duckdb").tokenize(sql)
    except (duckdb.Error, SqlglotError) as e:
        raise UnsafeSQL(UNFAITHFUL.format(why=f"it does not tokenize: {e}"),
                        check=CHECK) from None
    if any(kind == duckdb.token_type.comment for _, kind in duck):
        raise UnsafeSQL(UNFAITHFUL.format(why="DuckDB reads part of it as a comment"),
                        check=CHECK, construct="--")
    duck_strings = [pos for pos, kind in duck if kind == duckdb.token_type.string_const]
    # DuckDB counts bytes of UTF-8, sqlglot characters.
    our_strings = [len(sql[:t.start].encode()) for t in ours if t.token_type in _SQLGLOT_STRINGS]
    # sqlglot's start is the first character inside the quotes for some kinds;
    # DuckDB's is the opening quote (or the E/X prefix). Compare loosely by a
    # window of three characters, which still catches a string opening or
    # closing somewhere else entirely.
    if len(duck_strings) != len(our_strings) or any(
            not 0 <= o - d <= 3 for d, o in zip(duck_strings, our_strings, strict=True)):
        raise UnsafeSQL(UNFAITHFUL.format(
            why="DuckDB reads its string literals differently from the checked query"),
            check=CHECK)
