"""Money a thing brings in comes from the rows that record its sales, not its list price.

``Which drug class brings in the most money?`` on a catalogue of drugs with a
``unit_price`` and a table of dispensings that point at the drugs: adding up the
catalogue's unit prices ranks classes by how many products they list, not by money taken
in. A price per unit on a table that other tables point at (a catalogue) is a rate; the
money is the one money column of the one table pointing at it that records sales (a
line's amount; a price too when each row is one unit sold, with no quantity column). When
there is no such single column the question is declined.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nl2sql.models.planner.catalog import Catalog, Column, Table
from nl2sql.models.planner.cues import MONEY_NOUNS, MONEY_VERBS
from nl2sql.models.planner.setroutes import into
from nl2sql.models.planner.words import Tok

_Builder = Any  # build._Builder; not imported, so the modules form no cycle
# words of a column that holds a price per unit (unit_price, list_price, retail_price, rate)
_PER_UNIT = frozenset({"unit", "list", "retail", "rate", "msrp", "catalog", "catalogue"})
_PRICE = frozenset({"price", "prices"})
_QUANTITY = frozenset({"quantity", "qty", "units", "count"})


def per_unit(col: Column) -> bool:
    """A price per unit: unit_price, list_price, retail_price, price (a bare price too)."""
    words = set(col.words)
    return bool(words & _PRICE) or bool(words & _PER_UNIT and words & {"cost", "fee"})


def money_of_sales(b: _Builder, col: Column, is_money: Callable[[Column], bool]
                   ) -> Column | str | None:
    """For the subject's own money column ``col``: None when it is the money meant (not a
    price, or nothing points at the subject); else the sales rows' money column, or why
    the question is declined."""
    if not per_unit(col):
        return None
    pointing = list({j.source.id: j.source for j in into(b.catalog, b.s)}.values())
    if not pointing:
        return None
    found = [(t, c) for t in pointing for c in _sales_money(t, is_money)]
    if len(found) == 1:
        return found[0][1]
    return (f"adding up {b.s.name}.{col.name} would add up a price per unit, not money taken "
            f"in, and I could not tell which rows pointing at {b.s.name} record the sales "
            f"({', '.join(t.name for t in pointing)})")


def _sales_money(table: Table, is_money: Callable[[Column], bool]) -> list[Column]:
    """The money of each row of ``table``: its one money column, unless it is a price per
    unit while the rows hold a quantity (then the money is price times quantity: not read)."""
    cols = [c for c in table.columns or [] if is_money(c)]
    if len(cols) != 1:
        return []
    counted = any(set(c.words) & _QUANTITY for c in table.columns or [] if c.numeric)
    return [] if counted and per_unit(cols[0]) else cols


def money_wanted(toks: list[Tok], catalog: Catalog, subject: Table) -> list[Table]:
    """Tables to describe when money is asked of a subject whose only money is a price per
    unit: the rest of its dataset, where the rows recording its sales may be."""
    if not any(t.low in MONEY_VERBS or t.low in MONEY_NOUNS for t in toks):
        return []
    if not any(c.numeric and per_unit(c) for c in subject.columns or []):
        return []
    return [t for t in catalog.tables.values() if t.columns is None
            and t.dataset.lower() == subject.dataset.lower()
            and t.id.lower() not in catalog.failed_tables][:12]
