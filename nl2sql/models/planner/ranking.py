"""Groups ranked by an aggregate: "which owner has the most dogs", "the most prescribed
medication", "the name of the breed with the most dogs", "who spent the most".

Functions of the builder (``build._Builder``), run after the phrases' roles are read.
The columns asked for belong to the group ranked, even when named before "of the X";
what cannot be ranked (a text column by its text, money with no money column) is
declined, never replaced by a count. Rows ranked by a column: ``superlatives``.
"""

from __future__ import annotations

from typing import Any

from nl2sql.models.planner import parse as P
from nl2sql.models.planner.catalog import Column, Table, key_column, label_columns
from nl2sql.models.planner.cues import MONEY_NOUNS, MONEY_VERBS
from nl2sql.models.planner.features import DEFAULT_TOP, Unanswerable
from nl2sql.models.planner.match import Matcher, Reading
from nl2sql.models.planner.moneyrows import money_of_sales
from nl2sql.models.planner.plan import GroupKey, Measure
from nl2sql.models.planner.setroutes import names_table
from nl2sql.models.planner.superlatives import KIND_WORDS, named_plural
from nl2sql.models.planner.words import BOUNDARIES, TIME_UNITS, Tok

# The builder (build._Builder) passed in; not imported, so the modules form no cycle.
_Builder = Any

RANK_WORDS = frozenset({"most", "least", "fewest"})
# "the least common breed", "the rarest breed": how often a thing appears among the rows
# counted (those never appearing are not among them), not how many rows each thing has
FREQUENCY_WORDS = frozenset({"common", "commonest", "rarest", "frequent", "frequently"})


# -- groups ranked by an aggregate ----------------------------------------------------


def ranking(b: _Builder) -> None:
    r = b.rank_measure
    if r is None:
        return
    phrase = r.phrase
    col = next((p.column for p in r.of("column") if p.column is not None), None)
    which = next((x for x in b.readings if x.phrase.role == P.WHICH), None)
    if col is not None and not (col.numeric or col.temporal):
        _counted_by_text(b, r, col)  # "the most prescribed medication"
        return
    owner = owner_columns(b, r)  # "the name of the breed with the most dogs": its name
    which = owner or which
    if not b.plan.groups and not b.row_entity:
        which = rank_first_phrase(b, r) or which  # "Country with the most users"
    limit = (which.phrase.limit if which else None) or phrase.limit
    plural = named_plural(which) if which else phrase.plural
    toks = b.parsed.toks
    if which is None and b.parsed.time_units and len(toks) > 1 \
            and toks[0].low in ("which", "what") and toks[1].low in TIME_UNITS:
        plural = False  # "which day of the week has the most orders": one answer
    limit = limit or (DEFAULT_TOP if plural else 1)
    if col is not None and (b.row_entity or not b.plan.groups) and not phrase.aggs:
        b._rows(col, phrase.desc, limit)
        return
    if col is not None:
        aggs = phrase.aggs or (["SUM"] if phrase.toks and col.numeric and any(
            w in ("most", "least") for w in [phrase.toks[0].low]) else ["MAX" if phrase.desc
                                                                       else "MIN"])
        b.plan.measures = [Measure(a, b.use(col)) for a in aggs[:1]]
    elif not b.plan.measures:
        b.plan.measures = [Measure("COUNT")]
    b.plan.desc, b.plan.limit = phrase.desc, limit
    b.plan.explicit_measures = True


def _counted_by_text(b: _Builder, r: Reading, col: Column) -> None:
    """``most prescribed medication``: a text column cannot be ranked by its value; when
    the phrase's other word names the subject's rows ("prescribed": prescriptions), the
    values are ranked by how many rows hold them. Otherwise nothing says what to rank by."""
    verbs = [t for t in r.phrase.toks[:-1]
             if names_table(t, b.s) or _same_root(t.low, b.s.words[-1:])]
    names_rows = bool(verbs) or any(p.kind == "table" and p.table is b.s for p in r.pieces)
    if not names_rows or b.plan.groups or b.row_entity or col.table != b.s.id:
        raise Unanswerable(f"{col.name} holds text, and the question does not say what "
                           f"makes one '{'most' if r.phrase.desc else 'least'}'")
    b.plan.groups.append(GroupKey(col))
    b.plan.measures = [Measure("COUNT")]
    b.plan.accounted |= {t.i for t in verbs}  # "prescribed": the rows counted
    b.plan.desc = r.phrase.desc
    b.plan.limit = r.phrase.limit or (DEFAULT_TOP if named_plural(r) else 1)
    b.plan.explicit_measures = b.plan.explicit_order = True


# Words that may sit between the columns asked for and the table they belong to.
_OF_WORDS = frozenset({"of", "the", "a", "an", "and", ","})


def owner_columns(b: _Builder, rank: Reading) -> Reading | None:
    """``What is the name of the breed with the most dogs?``, ``the id and last name of
    the owner who spent the most``, ``Which owner has the most dogs? List the owner id.``:
    the columns asked for are those of the table named with them (the groups ranked),
    not of the rows counted; each group is that table's row, shown by its label and the
    columns asked for. Returns the reading naming that table."""
    order = sorted(b.readings, key=lambda x: x.phrase.toks[0].i)
    at = order.index(rank)
    before = order[at - 1] if at > 0 else None
    if before is not None and _names_other_table(b, before):
        asked = _chain(b, order, at - 1, backwards=True)
        if asked and _owned(b, before, asked):
            return before
    which = next((x for x in order[:at] if x.phrase.role == P.WHICH), None)
    start = next((k for k in range(at + 1, len(order)) if order[k].phrase.role == P.WHICH),
                 None)
    if which is not None and start is not None and _names_other_table(b, which):
        asked = [start] + _chain(b, order, start, backwards=False)  # "List the owner id"
        if _owned(b, which, asked):
            return which
    return None


def _names_other_table(b: _Builder, r: Reading) -> bool:
    table = r.pieces[0].table if len(r.pieces) == 1 and not r.unresolved else None
    return (r.pieces[0].kind == "table" and table is not None and table is not b.s
            and table.columns is not None) if table is not None else False


def _chain(b: _Builder, order: list[Reading], k: int, backwards: bool) -> list[int]:
    """Positions of the phrases of columns joined to ``order[k]`` by "of", "and" or a
    comma: before it ("the id and name of the owner"), or after it ("id, role and name")."""
    out: list[int] = []
    j = k - 1 if backwards else k + 1
    while 0 <= j < len(order):
        x, near = order[j], order[j + 1] if backwards else order[j - 1]
        first, last = (x, near) if backwards else (near, x)
        between = [t.low for t in b.parsed.toks[first.phrase.toks[-1].i + 1:
                                                 last.phrase.toks[0].i]]
        if not between or any(w not in _OF_WORDS for w in between) or (
                backwards and not out and "of" not in between) or not x.of("column"):
            break
        out.append(j)
        j += -1 if backwards else 1
    return sorted(out)


def _owned(b: _Builder, owner: Reading, asked: list[int]) -> bool:
    """Read the phrases at ``asked`` as columns of the owner's table; group by it."""
    order = sorted(b.readings, key=lambda x: x.phrase.toks[0].i)
    table = owner.pieces[0].table
    assert table is not None
    matcher = Matcher(b.parsed.question, b.catalog, [table], table)
    again = [matcher.read(order[j].phrase) for j in asked]
    cols = [p.column for x in again for p in x.pieces]
    if not again or any(x.unresolved or any(p.kind != "column" for p in x.pieces)
                        for x in again) or any(c is None or c.table != table.id for c in cols):
        return False  # not all of them are the owner's: left as read (the audit judges it)
    join = b.join_to(table)
    if join is None:
        return False
    said = {id(p.column) for j in asked for p in order[j].pieces if p.column is not None}
    b.plan.groups = [g for g in b.plan.groups if id(g.column) not in said
                     and not (g.entity is not None and g.entity.target is table)]
    labels = label_columns(table)
    b.plan.groups.append(GroupKey(join.fk, entity=join))
    b.plan.groups += [GroupKey(c) for c in cols if c is not None and c not in labels]
    for j, x in zip(asked, again, strict=True):
        b.readings[b.readings.index(order[j])] = x
    return True


def _same_root(verb: str, words: tuple[str, ...]) -> bool:
    """``prescribed`` / prescription, ``registered`` / registration: a participle and the
    noun of its event share a long first part."""
    if not words or not verb.endswith("ed"):
        return False
    common = 0
    for x, y in zip(verb, words[0], strict=False):
        if x != y:
            break
        common += 1
    return common >= 6


def rank_first_phrase(b: _Builder, rank: Reading) -> Reading | None:
    """The phrase before the ranking names what is ranked: a column to group by, or
    the subject's own rows."""
    for r in b.readings:
        if r is rank:
            return None
        if r.phrase.role not in (P.CONTEXT, P.WHICH):
            continue
        table = r.first("table")
        if table is not None and table.table is b.s and not r.first("column"):
            b.row_entity = True
            return r
        piece = r.first("column")
        if piece is not None:
            key = b.group_key(piece)
            if key is not None:
                b.plan.groups.append(key)
                return r
    return None


def fewest_through_join(b: _Builder) -> None:
    """``Which customer has the fewest orders?``: counting orders per customer through a
    join leaves out the customers with none, who have the fewest; declined rather than
    answered with the fewest among those with some."""
    plan = b.plan
    if plan.desc is not False or plan.limit is None or plan.rows or not plan.measures:
        return
    if not all(m.func in ("COUNT", "COUNT_DISTINCT") and not m.condition
               for m in plan.measures):
        return
    if {t.low for t in b.parsed.toks} & FREQUENCY_WORDS:
        return  # "the least common breed": how often it appears among the dogs
    entity = next((g.entity for g in plan.groups if g.entity is not None), None)
    if entity is not None and entity.target is not b.s:
        raise Unanswerable(f"ranking {entity.target.name} by the fewest {b.s.name} would "
                           f"leave out {entity.target.name} with no {b.s.name} at all")


def ranked_own_rows(b: _Builder) -> None:
    """``the name of the customer with the highest age``, ``the names of the top 3
    customers by age``: the subject's own rows ranked by their own column, shown with the
    columns asked for; not groups of equal names with a maximum or a sum of ages."""
    plan = b.plan
    if not plan.ranked or plan.rows or len(plan.measures) != 1 or not plan.groups:
        return
    m = plan.measures[0]
    col = m.column
    if (m.func not in ("SUM", "MAX", "MIN") or col is None or col.table != b.s.id
            or not col.numeric or any(g.entity is not None or g.unit is not None
                                      or g.column.table != b.s.id for g in plan.groups)):
        return
    said_aggs = [a for r in b.readings if r.phrase.role in (P.MEASURE, P.RANK_MEASURE)
                 for a in r.phrase.aggs]
    rows_named = any(len(r.pieces) == 1 and r.pieces[0].kind == "table" and r.pieces[0].table
                     is b.s and r.phrase.role in (P.CONTEXT, P.RANK_GROUP, P.WHICH)
                     for r in b.readings)
    if said_aggs or not rows_named or key_column(b.s) is None:
        return  # "the highest total age": an aggregate was said; rows not named: groups
    plan.rows = [g.column for g in plan.groups if g.column is not col] + [col]
    plan.order_column, plan.groups, plan.measures = col, [], []


# -- money: "spent the most", "paid the least" -----------------------------------------


def money_words(toks: list[Tok]) -> tuple[list[Tok], list[Tok]]:
    """``spent the most``, ``paid the least``, ``the most money``: words saying that a
    ranking is by an amount of money, right before or after a ranking word; and
    ``paid for the most treatments``: a verb of paying for the things counted (second)."""
    out: list[Tok] = []
    paid_for: list[Tok] = []
    for k, t in enumerate(toks):
        if t.low not in RANK_WORDS:
            continue
        before = [x for x in toks[max(0, k - 3):k] if x.low in MONEY_VERBS]
        after = [x for x in toks[k + 1:k + 2] if x.low in MONEY_NOUNS]
        nxt = toks[k + 1].low if k + 1 < len(toks) else ""
        if before and not after and nxt and nxt not in BOUNDARIES:
            if toks[before[-1].i + 1].low == "for":  # paid for the most treatments: counted
                paid_for.append(before[-1])
            continue  # "paid the most tickets" says what is ranked: the rows, by the verb
        out += before[-1:] + after
    return out, paid_for


def money(b: _Builder) -> None:
    """A ranking by money is a sum of the one money column of the rows ranked, or the
    question is declined: counting rows instead answers another question."""
    said, paid_for = money_words(b.parsed.toks)
    plan = b.plan
    valued = [t for t in said + paid_for if any(i == t.i for i, _ in b.value_filters)]
    if valued:  # "paid": a status 'Paid' too; filtering on it and adding money up is a guess
        raise Unanswerable(f"'{valued[0].raw}' could be a value of the data or money paid; "
                           "I cannot tell which the question means")
    if paid_for and plan.ranked and all(m.func == "COUNT" for m in plan.measures):
        plan.accounted |= {t.i for t in paid_for}
    if not said:
        return
    measured = [m for m in plan.measures if m.column is not None]
    if not plan.ranked or plan.rows or (measured and not all(
            m.func == "SUM" and _money_column(m.column) for m in measured)):
        raise Unanswerable(f"'{said[0].raw}' asks for an amount of money, and I could not "
                           "tell which column holds it")
    if not plan.groups:  # "which drug earned the most" read with nothing to rank: one total
        raise Unanswerable(f"'{said[0].raw}' ranks by money, and I could not tell what is "
                           "ranked")
    if not measured:
        col = money_column(b.s, said)
        if col is None:
            raise Unanswerable(f"'{said[0].raw}' asks for an amount of money, and "
                               f"{b.s.name} has no single column of money to add up")
        sales = money_of_sales(b, col, _money_column)  # moneyrows.py: not a list price
        if isinstance(sales, str):
            raise Unanswerable(sales)
        plan.measures = [Measure("SUM", b.use(sales or col))]
    plan.accounted |= {t.i for t in said}


def _money_column(col: Column) -> bool:
    """A number column of money: a price word in its name, and no word of another
    quantity (``total_minutes_in_store`` and ``total_qty`` hold no money)."""
    words = set(col.words)
    return (col.numeric and not col.is_key and bool(words & set(KIND_WORDS["price"]))
            and not words & _OTHER_QUANTITIES)


#: Name words of quantities that are not money, even beside "total" or "value".
_OTHER_QUANTITIES = frozenset(
    {"minute", "hour", "second", "day", "week", "month", "year", "quantity", "count",
     "number", "point", "score", "weight", "distance", "duration", "rate", "percent",
     "percentage", "ratio", "visit", "kg", "km", "mile", "kwh"})


def money_column(table: Table, said: list[Tok]) -> Column | None:
    """The one column of money in ``table``; the verb's own word first ("paid":
    paid_amount over charge_amount)."""
    cols = [c for c in table.columns or [] if _money_column(c)]
    verbal = [c for c in cols if {t.low for t in said} & set(c.words)]
    if len(verbal) == 1:
        return verbal[0]
    return cols[0] if len(cols) == 1 else None
