"""Check 0, before parsing: the raw text is a sane size and has no invisible characters.

Invisible and look-alike characters are how SQL is disguised from a human
reviewer (bidirectional overrides, zero-width spaces) and where two parsers are
most likely to disagree (is U+00A0 whitespace or part of a name?). The gate
regenerates the SQL it runs from its own parse tree, so a disagreement cannot
smuggle anything through; refusing these characters outright also keeps the
SQL a user sees honest.
"""

from __future__ import annotations

import re
import unicodedata

from nl2sql.errors import UnsafeSQL
from nl2sql.safety.policy import MAX_SQL_CHARS, Policy

CHECK = "input"

# ASCII control characters other than tab, newline and carriage return.
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Unicode categories refused anywhere: controls, format characters (zero-width
# spaces and joiners, bidi overrides, soft hyphen), line/paragraph separators,
# private-use, surrogates and unassigned code points.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"}

_ALLOWED_CONTROLS = frozenset("\t\n\r")

_BOM = "\ufeff"


def check_input(sql: str, policy: Policy) -> str:
    """Return ``sql`` (a leading byte-order mark blanked) or raise ``UnsafeSQL``.

    >>> check_input("SELECT 1", Policy())
    'SELECT 1'
    >>> check_input("SELECT\\u200b1", Policy())
    Traceback (most recent call last):
    ...
    nl2sql.errors.UnsafeSQL: invisible character U+200B (ZERO WIDTH SPACE) at position 6; remove it
    """
    if not isinstance(sql, str):
        raise UnsafeSQL("the SQL must be text", check=CHECK)
    if len(sql) > MAX_SQL_CHARS:
        raise UnsafeSQL(
            f"the SQL is {len(sql)} characters long; at most {MAX_SQL_CHARS} are allowed",
            check=CHECK,
        )
    # Editors and files often start with a BOM; it carries no meaning. A space
    # in its place keeps every later position true to the caller's text.
    if sql.startswith(_BOM):
        sql = " " + sql[1:]
    if sql.lstrip().startswith("```"):
        # Models often answer in Markdown; the fence is not SQL.
        raise UnsafeSQL("the SQL is wrapped in a Markdown code fence (```); send only the SQL",
                        check=CHECK, construct="```", position=sql.index("`"))
    if sql.isascii():
        bad = _ASCII_CONTROL.search(sql)
        if bad:
            _refuse(bad.group(), bad.start())
        return sql
    for i, ch in enumerate(sql):
        if ch in _ALLOWED_CONTROLS:
            continue
        category = unicodedata.category(ch)
        if category in _REFUSED_CATEGORIES:
            _refuse(ch, i)
        if category == "Zs" and ch != " ":
            _refuse(ch, i, kind="unusual space", fix="use a plain space")
    return sql


def _refuse(ch: str, pos: int, kind: str = "invisible character", fix: str = "remove it") -> None:
    code = f"U+{ord(ch):04X}"
    name = unicodedata.name(ch, "")
    label = f"{code} ({name})" if name else code
    raise UnsafeSQL(f"{kind} {label} at position {pos}; {fix}", check=CHECK,
                    construct=code, position=pos)
