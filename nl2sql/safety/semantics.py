"""Rewrites that make GoogleSQL mean on DuckDB what it means on BigQuery.

sqlglot's DuckDB rendering of some BigQuery functions runs but computes
something else, or cannot be rendered at all. Each rewrite below is one pure
function on the BigQuery tree, applied before rendering (``for_duckdb``);
``tests/safety/test_semantics.py`` runs each on a real DuckDB against
BigQuery's documented results.

Two rewrites are limits rather than meanings: an array generator or a string
builder whose result would be huge is stopped with an error *before* it is
built. DuckDB builds such a value in one uninterruptible call, outside its
memory limit (``GENERATE_ARRAY(1, 300000000)`` once took a worker to 6 GB and
twice the query timeout); the guard is checked in the engine, so it also holds
for sizes computed from data.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlglot import exp

from nl2sql.safety.combiners import (
    guard_concatenation,
    guard_encoding,
    guard_printf,
    string_length,
)
from nl2sql.safety.rendered import cannot_grow, check_size

Rewrite = Callable[[exp.Expr], exp.Expr]

#: Most elements GENERATE_ARRAY / GENERATE_DATE_ARRAY / GENERATE_TIMESTAMP_ARRAY may build.
MAX_GENERATED = 100_000
#: Longest string REPEAT / LPAD / RPAD may build (characters).
MAX_BUILT_CHARS = 100_000


def for_duckdb(tree: exp.Expr) -> exp.Expr:
    """Apply every rewrite in ``REWRITES`` to a copy of ``tree``, children first.

    Children first, so that every node is seen: a rewrite that replaces a node
    (``SAFE.REPEAT(...)`` becomes ``TRY(REPEAT(...))``) would otherwise hide
    its children from the others, and a guard inside would be skipped.
    """
    root = tree.copy()
    for node in reversed(list(root.walk(bfs=False))):  # every descendant before its parent
        parent, key, index = node.parent, node.arg_key, node.index
        replaced = _rewrite_node(node)
        # Guards copy their arguments (in place): nested, they multiply the query's size.
        # Stop as soon as one rewritten part is too large, before the next level copies it.
        if replaced is not node or isinstance(node, _GUARDED):
            check_size(replaced)
        if replaced is node:
            continue
        if parent is None or key is None:
            root = replaced
        else:
            parent.set(key, replaced, index)
    return root


#: Node types whose rewrite adds a guard in place (copying some of their arguments).
_GUARDED = (exp.Repeat, exp.Pad, exp.GenerateSeries, exp.GenerateDateArray, exp.Replace,
            exp.RegexpReplace, exp.Concat, exp.DPipe, exp.ArrayConcat, exp.Hex, exp.ToBase64)


def _rewrite_node(node: exp.Expr) -> exp.Expr:
    # One walk of the tree, every rewrite per node: each returns the node unchanged
    # unless it applies, and at most one applies to a given node kind.
    for rewrite in REWRITES:
        replaced = rewrite(node)
        if replaced is not node:
            return replaced
    return node


def _error(message: str) -> exp.Expr:
    return exp.Anonymous(this="ERROR", expressions=[exp.Literal.string(message)])


def _guard(too_big: exp.Expr, message: str, value: exp.Expr) -> exp.Expr:
    """``value``, or an engine error when ``too_big`` holds (checked before building);
    ``nl2sql/safety/rendered.py`` finds every size argument of the output so guarded."""
    return exp.Case(ifs=[exp.If(this=too_big, true=_error(message))], default=value)


def _epoch(node: exp.Expr) -> exp.Expr:
    """Seconds since 1970 of a DATE/TIMESTAMP (or in an INTERVAL)."""
    if not isinstance(node, exp.Interval):
        node = exp.Cast(this=node.copy(), to=exp.DataType.build("TIMESTAMP"))
    return exp.Anonymous(this="EPOCH", expressions=[node.copy()])


def guard_generators(node: exp.Expr) -> exp.Expr:
    """GENERATE_ARRAY and friends stop with an error past ``MAX_GENERATED`` elements."""
    if not isinstance(node, exp.GenerateSeries | exp.GenerateDateArray):
        timestamp_array = getattr(exp, "GenerateTimestampArray", None)
        if timestamp_array is None or not isinstance(node, timestamp_array):
            return node
    start, end = node.args.get("start") or node.this, node.args.get("end") or node.expression
    if start is None or end is None:
        return node
    step = node.args.get("step")
    message = (f"the array would have more than {MAX_GENERATED} elements; "
               "narrow the range or use a larger step")
    if isinstance(node, exp.GenerateSeries) and not isinstance(step, exp.Interval):
        width = exp.Paren(this=exp.Sub(this=end.copy(), expression=start.copy()))
        count = exp.Div(this=width, expression=step.copy() if step else exp.Literal.number(1))
    else:  # dates and timestamps: seconds spanned over seconds per step (one day by default)
        span = exp.Sub(this=_epoch(end), expression=_epoch(start))
        per = _epoch(step) if step is not None else exp.Literal.number(86400)
        count = exp.Div(this=exp.Paren(this=span), expression=per)
    too_big = exp.GT(this=exp.Anonymous(this="ABS", expressions=[count]),
                     expression=exp.Literal.number(MAX_GENERATED))
    key = "end" if "end" in node.args and node.args.get("end") is not None else "expression"
    # sqlglot casts a literal end to DATE itself, but not a CASE around one.
    value = exp.Cast(this=end.copy(), to=exp.DataType.build("DATE")) \
        if isinstance(node, exp.GenerateDateArray) else end.copy()
    node.set(key, _guard(too_big, message, value))
    return node


def guard_string_builders(node: exp.Expr) -> exp.Expr:
    """REPEAT, LPAD and RPAD stop with an error past ``MAX_BUILT_CHARS`` characters."""
    message = f"the string would be longer than {MAX_BUILT_CHARS} characters"
    limit = exp.Literal.number(MAX_BUILT_CHARS)
    if isinstance(node, exp.Repeat) and node.args.get("times") is not None:
        times = node.args["times"]
        size = exp.Mul(this=exp.Paren(this=times.copy()), expression=string_length(node.this))
        node.set("times", _guard(exp.GT(this=size, expression=limit), message, times.copy()))
    elif isinstance(node, exp.Pad) and node.expression is not None:
        length = node.expression
        node.set("expression", _guard(exp.GT(this=length.copy(), expression=limit), message,
                                      length.copy()))
    return node


def guard_replacements(node: exp.Expr) -> exp.Expr:
    """REPLACE and REGEXP_REPLACE stop with an error when their result could pass
    ``MAX_BUILT_CHARS`` characters and be longer than their input: nested, each can
    multiply a string's length (``REPLACE(s, 'x', 'xxxxxxxxxx')`` ten times over)."""
    if not isinstance(node, exp.Replace | exp.RegexpReplace) \
            or node.args.get("replacement") is None:
        return node
    text, pattern, replacement = node.this, node.expression, node.args["replacement"]
    if cannot_grow(node):
        return node  # the common cleaning chain: nothing to guard, nothing copied
    per_match: exp.Expr
    if isinstance(node, exp.Replace):  # at most one copy per (non-empty) match
        per_match = exp.Div(this=string_length(replacement), expression=exp.Greatest(
            this=string_length(pattern), expressions=[exp.Literal.number(1)]))
    else:  # a pattern may match empty strings, and \0 copies a whole match
        per_match = exp.Mul(this=string_length(replacement), expression=exp.Literal.number(2))
    bound = exp.Mul(this=exp.Paren(this=exp.Add(this=string_length(text),
                                                expression=exp.Literal.number(1))),
                    expression=exp.Paren(this=per_match))
    # Only growth is refused: a replacement no longer than its pattern never lengthens
    # the string (and ``text`` is copied once more here, not twice).
    too_big = exp.And(this=exp.GT(this=per_match.copy(), expression=exp.Literal.number(1)),
                      expression=exp.GT(this=bound,
                                        expression=exp.Literal.number(MAX_BUILT_CHARS)))
    message = f"the replaced string could be longer than {MAX_BUILT_CHARS} characters"
    node.set("replacement", _guard(too_big, message, replacement.copy()))
    return node


def dayofweek_from_one(node: exp.Expr) -> exp.Expr:
    """EXTRACT(DAYOFWEEK ...): BigQuery counts 1-7 from Sunday, DuckDB 0-6."""
    if isinstance(node, exp.Extract) and node.this.name.upper() == "DAYOFWEEK" \
            and not node.meta.get("nl2sql_shifted"):
        node.meta["nl2sql_shifted"] = True
        return exp.Paren(this=exp.Add(this=node, expression=exp.Literal.number(1)))
    return node


def week_numbers(node: exp.Expr) -> exp.Expr:
    """EXTRACT(WEEK ...) counts Sunday-started weeks from 0 in BigQuery (DuckDB: ISO
    weeks); WEEK(MONDAY) Monday-started ones; ISOWEEK is DuckDB's WEEK."""
    if not isinstance(node, exp.Extract):
        return node
    part = node.this
    if isinstance(part, exp.Var) and part.name.upper() == "ISOWEEK":
        node.set("this", exp.var("WEEK"))
        return node
    if isinstance(part, exp.Var) and part.name.upper() == "WEEK":
        day = "SUNDAY"
    elif isinstance(part, exp.WeekStart):
        day = part.this.name.upper()
    else:
        return node
    fmt = {"SUNDAY": "%U", "MONDAY": "%W"}.get(day)
    if fmt is None:
        return exp.Anonymous(this="ERROR", expressions=[exp.Literal.string(
            f"WEEK({day}) is not supported by the DuckDB warehouse; use WEEK or WEEK(MONDAY)")])
    text = exp.TimeToStr(this=node.expression.copy(), format=exp.Literal.string(fmt))
    return exp.Cast(this=text, to=exp.DataType.build("BIGINT"))


def date_arithmetic_stays_date(node: exp.Expr) -> exp.Expr:
    """DATE_ADD/DATE_SUB return a DATE in BigQuery; DuckDB's date + interval is a TIMESTAMP.
    (DuckDB already clamps to the end of the month, as BigQuery does.)"""
    if isinstance(node, exp.DateAdd | exp.DateSub) and not isinstance(node.parent, exp.Cast):
        return exp.Cast(this=node, to=exp.DataType.build("DATE"))
    return node


def date_functions_return_dates(node: exp.Expr) -> exp.Expr:
    """DATE_TRUNC and DATE_FROM_UNIX_DATE return a DATE in BigQuery, a TIMESTAMP in DuckDB."""
    if isinstance(node, exp.DateTrunc | exp.DateFromUnixDate) \
            and not isinstance(node.parent, exp.Cast):
        return exp.Cast(this=node, to=exp.DataType.build("DATE"))
    return node


def byte_length(node: exp.Expr) -> exp.Expr:
    """BYTE_LENGTH(string): DuckDB's octet_length takes BLOBs; strlen counts UTF-8 bytes."""
    if isinstance(node, exp.ByteLength):
        return exp.Anonymous(this="STRLEN", expressions=[node.this.copy()])
    return node


#: printf understands these BigQuery FORMAT specifiers the same way. Widths and
#: precisions have at most three digits: ``%500000000d`` pads to half a billion
#: characters in one call that neither the memory limit nor the timeout can stop.
_PRINTF_SAFE = re.compile(r"%(?:[-+ #0]*\d{0,3}(?:\.\d{1,3})?[disfeEgGxXo]|%)")


def format_is_printf(node: exp.Expr) -> exp.Expr:
    """FORMAT('%d items', n) is printf-style in BigQuery; DuckDB's FORMAT uses {}."""
    if isinstance(node, exp.Anonymous) and node.name.upper() in ("PRINTF", "SPRINTF"):
        node = exp.Format(this=node.expressions[0] if node.expressions else None,
                          expressions=node.expressions[1:])  # DuckDB's own name: same rule
    if not isinstance(node, exp.Format):
        return node
    pattern = node.this
    if isinstance(pattern, exp.Literal) and pattern.is_string and \
            not _PRINTF_SAFE.sub("", pattern.name).count("%"):
        return guard_printf(exp.Anonymous(this="PRINTF", expressions=[
            pattern.copy(), *[e.copy() for e in node.expressions]]))
    return _error("FORMAT is supported by the DuckDB warehouse only with a literal pattern of "
                  "%d, %i, %s, %f, %e, %g, %x, %o specifiers (widths up to three digits); "
                  "use CONCAT and CAST")


def unnest_offset_from_zero(node: exp.Expr) -> exp.Expr:
    """UNNEST(...) WITH OFFSET counts from 0 in BigQuery; DuckDB's WITH ORDINALITY from 1.

    ``UNNEST(a) AS x WITH OFFSET AS o`` becomes
    ``(SELECT x, o - 1 AS o FROM UNNEST(a) AS x WITH OFFSET AS o) AS _x_o``.
    """
    if not isinstance(node, exp.Unnest) or not isinstance(node.args.get("offset"), exp.Identifier) \
            or node.meta.get("nl2sql_offset") or not isinstance(node.parent, exp.From | exp.Join):
        return node
    offset = node.args["offset"].name
    alias = node.args.get("alias")
    columns = alias.columns if isinstance(alias, exp.TableAlias) else []
    value = columns[0].name if len(columns) == 1 else "value"
    inner = node.copy()
    inner.meta["nl2sql_offset"] = True
    inner.set("alias", exp.TableAlias(columns=[exp.to_identifier(value)]))
    select = exp.select(
        exp.column(value),
        exp.alias_(exp.Sub(this=exp.column(offset), expression=exp.Literal.number(1)), offset),
    ).from_(inner)
    return exp.Subquery(this=select, alias=exp.TableAlias(
        this=exp.to_identifier(f"_{value}_{offset}")))


def safe_prefix(node: exp.Expr) -> exp.Expr:
    """SAFE.fn(...) returns NULL instead of failing; DuckDB spells that TRY(fn(...)).

    DuckDB's TRY refuses volatile functions, ERROR among them: a size guard
    inside gives NULL instead (what SAFE. gives for any failure), which stops
    the build just the same.
    """
    safe = getattr(exp, "SafeFunc", None)
    if safe is not None and isinstance(node, safe) and isinstance(node.this, exp.Expr):
        for error in list(node.this.find_all(exp.Anonymous)):
            if error.name.upper() == "ERROR" and isinstance(error.parent, exp.If) \
                    and error.arg_key == "true":
                error.replace(exp.Null())
        return exp.Anonymous(this="TRY", expressions=[node.this])
    return node


def extract_date_parts(node: exp.Expr) -> exp.Expr:
    """EXTRACT(DATE / TIME / DATETIME FROM ts) are casts; DuckDB knows no such parts."""
    if isinstance(node, exp.Extract) and isinstance(node.this, exp.Var):
        to = {"DATE": "DATE", "TIME": "TIME", "DATETIME": "TIMESTAMP"}.get(node.this.name.upper())
        if to:
            # Through TIMESTAMP: DuckDB casts no TIMESTAMPTZ to TIME (the session is UTC).
            plain = exp.Cast(this=node.expression, to=exp.DataType.build("TIMESTAMP"))
            return exp.Cast(this=plain, to=exp.DataType.build(to))
    return node


def range_bucket(node: exp.Expr) -> exp.Expr:
    """RANGE_BUCKET(x, sorted_array): how many boundaries are <= x (DuckDB has none)."""
    bucket = getattr(exp, "RangeBucket", None)
    if bucket is None or not isinstance(node, bucket) or node.expression is None:
        return node
    value, bounds = node.this, node.expression
    count = exp.select(exp.Count(this=exp.Star())).from_(
        exp.Unnest(expressions=[bounds.copy()],
                   alias=exp.TableAlias(columns=[exp.to_identifier("_bound")]))
    ).where(exp.LTE(this=exp.column("_bound"), expression=value.copy()))
    return exp.Case(ifs=[exp.If(this=exp.Is(this=value.copy(), expression=exp.Null()),
                                true=exp.Null())], default=exp.Subquery(this=count))


def array_agg_limit(node: exp.Expr) -> exp.Expr:
    """ARRAY_AGG(x ORDER BY y LIMIT n): DuckDB has no LIMIT there; slice the ordered list."""
    if not isinstance(node, exp.ArrayAgg) or not isinstance(node.this, exp.Limit):
        return node
    limit = node.this
    count = limit.expression
    node.set("this", limit.this)
    return exp.Anonymous(this="LIST_SLICE",
                         expressions=[node, exp.Literal.number(1), count.copy()])


REWRITES: tuple[Rewrite, ...] = (
    guard_generators, guard_string_builders, guard_replacements, guard_concatenation,
    guard_encoding,
    dayofweek_from_one, week_numbers,
    date_arithmetic_stays_date, date_functions_return_dates, byte_length, format_is_printf,
    array_agg_limit, unnest_offset_from_zero, safe_prefix, extract_date_parts, range_bucket,
)
