"""Size guards for calls whose result is as long as their arguments together.

One CONCAT builds nothing large, but a query can reference a column several
times in each concatenation and feed the result to the next CTE, level after
level: ``CONCAT(s, s, …)`` ten times over a 100,000-character ``s``, four levels
deep, is a billion-character string, built by calls that neither DuckDB's memory
limit nor an interrupt stops (a worker measured 5.8 GB for one such query with
a 1 GB memory limit). So every concatenation of strings (``CONCAT``, ``||``,
and ``FORMAT``, which DuckDB runs as PRINTF) stops with an error before it
would build more than ``MAX_CONCAT_CHARS`` characters, and every
``ARRAY_CONCAT`` before ``MAX_CONCAT_ELEMENTS`` elements: each level is then
bounded on its own, whatever its inputs were. (Aggregates such as STRING_AGG
and ARRAY_AGG, and TO_JSON_STRING, allocate under DuckDB's memory limit.)

Encodings grow their argument by a fixed factor with no memory limit either: TO_HEX
doubles it, and ``TO_HEX(CAST(TO_HEX(...) AS BYTES))`` three times per CTE built
409,600,000 characters at the fourth level (2.1 GB RSS with a 1 GB memory limit,
measured). So TO_HEX and TO_BASE64 (at most 4/3) stop before an argument longer than
``MAX_CONCAT_CHARS / 2``.

The guard goes into the first operand, like the other size guards
(``semantics._guard``), so ``rendered.check_rendered`` can verify on the DuckDB
text that every concatenation carries one.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

#: Longest string one concatenation may build (characters); the same bound as REPEAT's.
MAX_CONCAT_CHARS = 100_000
#: Most elements one ARRAY_CONCAT may build; the same bound as GENERATE_ARRAY's.
MAX_CONCAT_ELEMENTS = 100_000
#: Widest padding of one PRINTF specifier (``semantics.format_is_printf`` allows three digits).
PRINTF_WIDTH = 1_000


def guard_concatenation(node: exp.Expr) -> exp.Expr:
    """CONCAT / ``||`` / ARRAY_CONCAT with a guard on their total size (in place)."""
    if isinstance(node, exp.Concat):
        parts = list(node.expressions)
        if len(parts) > 1 and _guard_first(parts, string_length, MAX_CONCAT_CHARS, "string"):
            node.set("expressions", parts)
    elif isinstance(node, exp.DPipe) and not _inner_link(node):
        parts = list(node.flatten())  # a || b || c is DPipe(DPipe(a, b), c)
        holder = parts[0].parent
        if _guard_first(parts, string_length, MAX_CONCAT_CHARS, "string") and holder:
            holder.set("this", parts[0])
    elif isinstance(node, exp.ArrayConcat) and node.expressions:
        parts = [node.this, *node.expressions]
        if _guard_first(parts, _array_length, MAX_CONCAT_ELEMENTS, "array"):
            node.set("this", parts[0])
    return node


def guard_encoding(node: exp.Expr) -> exp.Expr:
    """TO_HEX / TO_BASE64 with a guard on their argument's size (in place)."""
    if isinstance(node, exp.Hex | exp.ToBase64):
        parts = [node.this]
        if _guard_first(parts, string_length, MAX_CONCAT_CHARS // 2, "string", message=(
                f"the encoded value would be longer than {MAX_CONCAT_CHARS} characters")):
            node.set("this", parts[0])
    return node


def guard_printf(node: exp.Anonymous) -> exp.Anonymous:
    """PRINTF(pattern, v1, …) with a guard on v1: the values' length together, the
    pattern's and up to ``PRINTF_WIDTH`` characters of padding per value."""
    pattern, *values = node.expressions
    extra = len(pattern.name) + PRINTF_WIDTH * len(values)
    if values and _guard_first(values, string_length, MAX_CONCAT_CHARS, "string", extra):
        node.set("expressions", [pattern, *values])
    return node


def first_operand(node: exp.Expr) -> exp.Expr | None:
    """The operand of a concatenation or an encoding that must carry its guard (None:
    neither, only literals, or the inner link of a ``||`` chain, whose guard
    is its chain's)."""
    parts: list[exp.Expr] = []
    if isinstance(node, exp.DPipe) and not _inner_link(node):
        parts = list(node.flatten())
    elif isinstance(node, exp.ArrayConcat) and node.expressions:
        parts = [node.this, *node.expressions]
    elif isinstance(node, exp.Concat) and len(node.expressions) > 1:
        parts = list(node.expressions)
    elif isinstance(node, exp.Hex | exp.ToBase64):
        parts = [node.this]
    elif isinstance(node, exp.Anonymous) and node.name.upper() == "PRINTF":
        parts = list(node.expressions[1:])
    if all(_literal(p) for p in parts):
        return None  # as long as the query's own text
    return parts[0]


def _inner_link(node: exp.DPipe) -> bool:
    return isinstance(node.parent, exp.DPipe) and node.arg_key == "this"


def _literal(node: exp.Expr) -> bool:
    return isinstance(node, exp.Literal) and node.is_string


def _guard_first(parts: list[exp.Expr], length: Callable[[exp.Expr], exp.Expr], limit: int,
                 kind: str, extra: int = 0, message: str = "") -> bool:
    """Put the guard into ``parts[0]``; False when all parts are literals (nothing to do)."""
    measured = [p for p in parts if not _literal(p)]
    if not measured:
        return False
    total: exp.Expr = length(measured[0])
    for part in measured[1:]:
        total = exp.Add(this=total, expression=length(part))
    fixed = extra + sum(len(p.name) for p in parts if _literal(p))
    if fixed:
        total = exp.Add(this=total, expression=exp.Literal.number(fixed))
    unit = "characters" if kind == "string" else "elements"
    message = message or f"the concatenated {kind} would be longer than {limit} {unit}"
    too_big = exp.GT(this=total, expression=exp.Literal.number(limit))
    error = exp.Anonymous(this="ERROR", expressions=[exp.Literal.string(message)])
    parts[0] = exp.Case(ifs=[exp.If(this=too_big, true=error)], default=parts[0].copy())
    return True


def string_length(value: exp.Expr) -> exp.Expr:
    """At least the characters in a STRING or the bytes in a BYTES ``value`` (0 for NULL).

    DuckDB's own LENGTH of the text: sqlglot writes BigQuery's LENGTH as a CASE
    over three copies of its argument, so guards nested in guards would grow
    the query threefold per level.
    """
    text = exp.Cast(this=value.copy(), to=exp.DataType.build("TEXT"))
    return exp.Coalesce(this=exp.Anonymous(this="LENGTH", expressions=[text]),
                        expressions=[exp.Literal.number(0)])


def _array_length(value: exp.Expr) -> exp.Expr:
    return exp.Coalesce(this=exp.Anonymous(this="LEN", expressions=[value.copy()]),
                        expressions=[exp.Literal.number(0)])
