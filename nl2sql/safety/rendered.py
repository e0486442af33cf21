"""The DuckDB text the warehouse will run, read back: bounded in size, every builder guarded.

The size guards of ``semantics.py`` are added to the GoogleSQL tree, but what
runs is sqlglot's DuckDB rendering of it. So the rendered text is parsed again
(as DuckDB) and judged on its own: every call that builds a string or an array
of a size given by an argument (REPEAT, LPAD/RPAD, GENERATE_SERIES, REPLACE,
REGEXP_REPLACE) must carry a guard in that argument, and every concatenation
(``||``, LIST_CONCAT: ``combiners.py``) one in its first operand, whichever rewrite or
rendering produced it; and the query may not have grown past
``MAX_RENDERED_NODES`` expressions (a guard copies its arguments, so nesting
guarded calls multiplies a query's size; DuckDB binds such a query for
seconds before the timeout can stop it).

Rendering itself is bounded too (``bounded_generator``): sqlglot writes some
functions by repeating an argument (``LENGTH(x)`` becomes a ``CASE TYPEOF(x)``
over three copies of ``x``, ``SAFE_DIVIDE(a, b)`` two of ``b``), so nesting
them grows the text exponentially, in Python, before any query timeout runs.
"""

from __future__ import annotations

import functools
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ErrorLevel, SqlglotError

from nl2sql.errors import UnsafeSQL
from nl2sql.safety.combiners import first_operand

CHECK = "transpile"

#: Most expression nodes the DuckDB rendering of one query may have.
MAX_RENDERED_NODES = 30_000
#: Longest DuckDB text of one query (characters), and the most characters its
#: rendering may write in all (every level of nesting writes its part again).
MAX_RENDERED_CHARS = 500_000
MAX_WRITTEN_CHARS = 2_000_000
#: Most nodes the rendering may write (copies included): each costs a copy too.
MAX_WRITTEN_NODES = 100_000

#: sqlglot node types (by name) whose DuckDB rendering repeats an argument -> most
#: copies of one argument it writes (tests/safety/test_rendered.py measures them
#: on the installed sqlglot, so a new one fails there until it is listed).
REPEATS_ARGUMENTS: dict[str, int] = {
    "AddMonths": 4, "ArrayAny": 2, "ArrayConcatAgg": 2, "ArrayContains": 3, "ArrayDistinct": 4,
    "ArrayExcept": 4, "ArrayOverlaps": 3, "ArrayUniqueAgg": 2, "ArraysZip": 5,
    "BitmapBitPosition": 3, "BitmapBucketNumber": 3, "BitmapConstructAgg": 2, "Ceil": 3,
    "CheckJson": 3, "ConcatWs": 2, "Corr": 2, "DecodeCase": 2, "Floor": 3, "Greatest": 2,
    "Initcap": 5, "Least": 2, "Left": 2, "Length": 3, "MapCat": 3, "MonthsBetween": 4,
    "NextDay": 7, "Normal": 2, "ParseJSON": 2, "Posexplode": 2, "PreviousDay": 7, "Rand": 2,
    "RegexpCount": 2, "RegexpInstr": 5, "Right": 2, "SafeDivide": 2, "SplitPart": 2,
    "StrPosition": 3, "StripNullValue": 2, "Strtok": 6, "StrtokToArray": 3, "Struct": 2,
    "Stuff": 2, "Substring": 2, "ToArray": 2, "ToBoolean": 5, "Unicode": 2, "Uniform": 2,
    "Xor": 2,
}

_TOO_LARGE = "the query is too large once written out for the warehouse ({why}); simplify it"

#: Node type -> the argument that sets the size of what it builds.
SIZE_ARGUMENTS: dict[type[exp.Expr], str] = {
    exp.Repeat: "times", exp.Pad: "expression", exp.GenerateSeries: "end",
    exp.Replace: "replacement", exp.RegexpReplace: "replacement",
}


def bounded_generator(dialect: str = "duckdb", check: str = CHECK, **options: Any) -> Any:
    """sqlglot's generator for ``dialect``, raising ``UnsafeSQL`` once it has written more
    than ``MAX_WRITTEN_CHARS`` characters or ``MAX_WRITTEN_NODES`` nodes. The defaults
    are what ``transpile.to_duckdb`` needs; the gate renders GoogleSQL with one too
    (``gate.render``: sqlglot writes ``TO_ARRAY(x)`` with two copies of ``x`` there)."""
    if not options:
        options = {"comments": False, "unsupported_level": ErrorLevel.IGNORE}
    generator = _bounded_class(dialect)(dialect=Dialect.get_or_raise(dialect), **options)
    generator.check = check  # the check named in a refusal
    return generator


@functools.cache
def _bounded_class(dialect: str) -> Any:
    base: Any = type(Dialect.get_or_raise(dialect).generator())

    class Bounded(base):
        written = 0
        nodes = 0
        check = CHECK

        def sql(self, expression: Any, key: str | None = None, comment: bool = True) -> str:
            self.nodes += 1
            text: str = super().sql(expression, key, comment)
            self.written += len(text)
            if self.written > MAX_WRITTEN_CHARS or self.nodes > MAX_WRITTEN_NODES:
                raise UnsafeSQL(_TOO_LARGE.format(why="its text keeps growing"),
                                check=self.check, construct="size")
            return text

    return Bounded


def check_rendered(text: str) -> None:
    """Raise ``UnsafeSQL`` unless ``text`` (DuckDB SQL) is small and fully guarded."""
    if len(text) > MAX_RENDERED_CHARS:
        raise UnsafeSQL(_TOO_LARGE.format(why=f"more than {MAX_RENDERED_CHARS} characters"),
                        check=CHECK, construct="size")
    try:
        tree = sqlglot.parse_one(text, read="duckdb")
    except (SqlglotError, RecursionError):
        raise UnsafeSQL("the query could not be read back after translating it for the DuckDB "
                        "warehouse; write it more plainly", check=CHECK) from None
    check_size(tree)
    for node in tree.walk():
        key = SIZE_ARGUMENTS.get(type(node))
        argument = node.args.get(key) if key is not None else first_operand(node)
        if argument is not None and not _guarded(argument) and not (
                isinstance(node, exp.Replace | exp.RegexpReplace) and cannot_grow(node)):
            name = node.sql("duckdb").split("(", 1)[0][:30]
            raise UnsafeSQL(f"`{name}` could build a value of any size in the DuckDB warehouse; "
                            "write it another way", check=CHECK, construct=name)


def check_rendered_size(tree: exp.Expr) -> None:
    """Raise ``UnsafeSQL`` when the DuckDB rendering of ``tree`` would have more than
    ``MAX_RENDERED_NODES`` nodes, counting each argument as often as its node's
    rendering writes it (``REPEATS_ARGUMENTS``): estimated before rendering, as
    rendering copies every repeated argument first (seconds, for a few thousand nodes)."""
    weights: dict[int, int] = {}
    for node in reversed(list(tree.walk(bfs=False))):  # children first
        children = sum(weights.pop(id(child), 0) for child in node.iter_expressions())
        weights[id(node)] = 1 + REPEATS_ARGUMENTS.get(type(node).__name__, 1) * children
        if weights[id(node)] > MAX_RENDERED_NODES:
            raise UnsafeSQL(_TOO_LARGE.format(why=f"more than {MAX_RENDERED_NODES} expressions"),
                            check=CHECK, construct="size")


def check_size(tree: exp.Expr) -> None:
    """Raise ``UnsafeSQL`` when ``tree`` has more than ``MAX_RENDERED_NODES`` nodes
    (counting stops there)."""
    for count, _ in enumerate(tree.walk(), start=1):
        if count > MAX_RENDERED_NODES:
            raise UnsafeSQL(_TOO_LARGE.format(why=f"more than {MAX_RENDERED_NODES} expressions"),
                            check=CHECK, construct="size")


def cannot_grow(node: exp.Expr) -> bool:
    """A REPLACE / REGEXP_REPLACE whose literal replacement never lengthens the string:
    empty, or for REPLACE no longer than a literal pattern (needs no guard)."""
    pattern, replacement = node.expression, node.args.get("replacement")
    if not (isinstance(replacement, exp.Literal) and replacement.is_string):
        return False
    if not replacement.name:
        return True
    return isinstance(node, exp.Replace) and isinstance(pattern, exp.Literal) \
        and pattern.is_string and len(replacement.name) <= len(pattern.name)


def _guarded(argument: object) -> bool:
    """``CASE WHEN <too big> THEN ERROR(...) ELSE ... END`` (``semantics._guard``),
    or ``THEN NULL``."""
    while isinstance(argument, exp.Paren | exp.Cast):
        argument = argument.this
    if not isinstance(argument, exp.Case) or not argument.args.get("ifs"):
        return False
    true = argument.args["ifs"][0].args.get("true")
    # NULL inside SAFE. (semantics.safe_prefix): the call builds nothing either way.
    return isinstance(true, exp.Null) or (isinstance(true, exp.Anonymous)
                                          and true.name.upper() == "ERROR")
