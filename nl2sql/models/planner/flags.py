"""Yes/no facts written as text: ``frgl_flg`` holding 'Y' and 'N' says whether a parcel
is fragile, as a BOOLEAN column would.

A column is such a flag when every value the catalog shows is one of a yes/no pair
('Y'/'N', 'Yes'/'No', 'T'/'F', 'true'/'false'), both of them seen, so a column of
genders ('F', 'M') or of one-letter codes is never read as one. "fragile parcels"
then keeps the rows holding the yes value, "parcels that are not fragile" the others
that are set (``!= 'Y'``: SQL leaves the empty ones out, as it does for a BOOLEAN).
"""

from __future__ import annotations

from nl2sql.models.planner.catalog import Column
from nl2sql.models.planner.plan import Filter
from nl2sql.models.planner.words import stem

PAIRS = (("Y", "N"), ("YES", "NO"), ("T", "F"), ("TRUE", "FALSE"))
# Words of a flag's name that only say it is a flag (is_active, frgl_flg, vip_ind).
FLAG_WORDS = frozenset({"is", "has", "flag", "flg", "ind", "indicator", "yn", "bool"})


def yes_no(col: Column) -> tuple[str, str] | None:
    """The (yes, no) values, as written, of a text column holding only such a pair."""
    if not col.text or col.is_key:
        return None
    written = {v.upper(): v for v in col.examples}
    for yes, no in PAIRS:
        if set(written) == {yes, no}:
            return written[yes], written[no]
    return None


def flag_filter(col: Column, negated: bool, said: set[str]) -> Filter | None:
    """The rows where ``col``'s fact holds (or, ``negated``, does not): ``= TRUE``/``=
    FALSE`` for a BOOLEAN, ``= 'Y'``/``!= 'Y'`` for a flag's text (an empty flag is
    neither); None for a column that is neither, or whose fact the question's words
    (``said``, stems) do not all say: "cartoons on TV" is no filter on
    Hight_definition_TV = 'yes'."""
    if not {stem(w) for w in col.words if w not in FLAG_WORDS} <= said:
        return None
    if col.boolean:
        return Filter(col, "=", (not negated,))
    pair = yes_no(col)
    return None if pair is None else Filter(col, "!=" if negated else "=", (pair[0],))
