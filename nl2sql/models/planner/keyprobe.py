"""A bounded probe of which table's key a key-like column's values fall in.

Names do not always say where a key points: ``Friend(student_id, friend_id)`` and
``Highschooler(ID, name)`` carry no declared key, and no name says "highschooler".
The evidence then is the data: a column named like a key (``<something>_id``, ``…ID``)
whose every sampled value lies in exactly one other table's own key, of the same
type, holds that key; so does a column named for a table by a role
(``lost_in_battle``) whose values all lie in that table's key, a bare ``id``. The
planner asks this itself, through the same ``sql_query`` tool as every other query
(it sees only what the tool returns), once per column and candidate key, in one query
of at most ``MAX_PAIRS`` pairs that reads at most ``SAMPLE`` distinct values of each
column. ``Catalog`` reads the answer back
(``value_keys``); ``keys`` turns it into edges of the join graph.
"""

from __future__ import annotations

from sqlglot import exp

from nl2sql.models.planner.catalog import Catalog, Column, Table
from nl2sql.models.planner.keys import compatible, graph, key_of, key_parts
from nl2sql.models.planner.sqlbuild import render
from nl2sql.models.planner.sqlexpr import count_star, lit, table_node

MAX_PAIRS = 16  # (column, candidate key) pairs in one probe query
SAMPLE = 500  # distinct values of a probed column read
# Endings of names that say "the identifier of something": codes and numbers (zip_code,
# phone_number) are as often plain attributes, so only these are probed.
PROBED_ENDINGS = frozenset({"id", "key", "fk", "sk"})

Pair = tuple[Table, Column, Table, Column]


def unplaced(catalog: Catalog, table: Table) -> list[tuple[Column, Table | None]]:
    """Columns of ``table`` that no name, description or declared key places, each with
    the one table its name ends with (``lost_in_battle``: battle, whose key is a bare
    ``id``) or whose name ends with it (``Station``: Radio_Station), or None for a
    key-like name that names no table (``friend_id``)."""
    placed = {e.fk.name.lower() for e in graph(catalog) if e.source is table}
    mine = key_of(catalog, table)
    peers = [t for t in catalog.fetched()
             if t is not table and t.dataset.lower() == table.dataset.lower() and t.words]
    # user_id beside a users table not described yet: its name places it already
    listed = [t.words for t in catalog.tables.values()
              if t is not table and t.dataset.lower() == table.dataset.lower() and t.words]
    out: list[tuple[Column, Table | None]] = []
    for c in table.columns or []:
        if c is mine or c.boolean or c.temporal or c.name.lower() in placed or c.references:
            continue
        kp = key_parts(c)
        if kp is not None:
            if (kp[0] and kp[1] in PROBED_ENDINGS
                    and not any(kp[0][-len(w):] == w for w in listed)):
                out.append((c, None))
            continue
        n_words = len(c.words)
        # lost_in_battle ends with battle; Cartoon.Channel names TV_Channel by its last word
        named = [t for t in peers if (n_words > len(t.words)
                                      and c.words[-len(t.words):] == t.words)
                 or (n_words < len(t.words) and t.words[-n_words:] == c.words)]
        if len(named) == 1:
            out.append((c, named[0]))
    return out


def pending(catalog: Catalog) -> list[Pair]:
    """The pairs to probe next: each unplaced column with the table its name ends with,
    or else with every described table's own key of its type (all of a column's
    candidates in the same probe, so the answer says whether exactly one holds it);
    pairs never asked before, at most ``MAX_PAIRS``."""
    tables = catalog.fetched()
    out: list[Pair] = []
    for t in tables:
        for c, named in unplaced(catalog, t):
            col_id = f"{t.id}.{c.name}".lower()
            pairs: list[Pair] = []
            for other in [named] if named is not None else tables:
                key = key_of(catalog, other)
                if (other is t or other.dataset.lower() != t.dataset.lower() or key is None
                        or not compatible(c, key)):
                    continue
                pairs.append((t, c, other, key))
            fresh = [p for p in pairs
                     if (col_id, f"{p[2].id}.{p[3].name}".lower()) not in catalog.probed]
            if fresh and len(out) + len(pairs) <= MAX_PAIRS:
                out += pairs  # the already-asked ones again: the verdict needs them all
    return out


def probe_sql(pairs: list[Pair]) -> str | None:
    """One row per pair: the column, the key, how many distinct values were sampled and
    how many of them the key does not hold."""
    parts: list[exp.Select] = []
    for table, col, other, key in pairs:
        sample = (exp.select(exp.alias_(exp.column(col.name), "v")).distinct()
                  .from_(table_node(table)).where(exp.column(col.name).is_(exp.null()).not_())
                  .limit(SAMPLE))
        held = exp.select(exp.alias_(exp.column(key.name), "v")).distinct().from_(
            table_node(other))
        missing = exp.func("SUM", exp.Case(ifs=[exp.If(
            this=exp.column("v", table="h").is_(exp.null()), true=lit(1))], default=lit(0)))
        parts.append(
            exp.select(exp.alias_(lit(f"{table.id}.{col.name}"), "column_id"),
                       exp.alias_(lit(f"{other.id}.{key.name}"), "key_id"),
                       exp.alias_(count_star(), "sampled"), exp.alias_(missing, "missing"))
            .from_(exp.Subquery(this=sample, alias=exp.TableAlias(this=exp.to_identifier("s"))))
            .join(exp.Subquery(this=held, alias=exp.TableAlias(this=exp.to_identifier("h"))),
                  on=exp.column("v", table="s").eq(exp.column("v", table="h")), join_type="left"))
    if not parts:
        return None
    union: exp.Query = parts[0]
    for p in parts[1:]:
        union = exp.union(union, p, distinct=False)
    return render(union)
