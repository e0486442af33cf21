"""A column named by one cue word: "the maximum and minimum share of TV series" (a column
Share), "the average rank of players" (Rank).

Words like "share", "rank" or "count" shape a query ("the share of orders that ...");
where the tables hold a numeric column named by that word alone and the word follows
an aggregate ("maximum share", "average rank"), it names the column, so the parser keeps
it as the column's phrase instead of a cue.
"""

from __future__ import annotations

from nl2sql.models.planner.catalog import Table
from nl2sql.models.planner.lexicon import lexicon
from nl2sql.models.planner.words import Tok

_AGGREGATES = frozenset({"average", "mean", "total", "sum", "maximum", "minimum", "max",
                         "min", "highest", "lowest", "largest", "smallest", "median"})


def names_cue_column(toks: list[Tok], i: int, tables: list[Table]) -> bool:
    """Whether ``toks[i]``, a cue word after an aggregate, is a numeric column's name."""
    t = toks[i]
    if i == 0 or t.quoted or toks[i - 1].low not in _AGGREGATES:
        return False
    if t.low not in lexicon().sets["name_cues"] | lexicon().features["share"]:
        return False
    return any(c.numeric and not c.is_key and c.words == (t.stem,)
               for table in tables for c in table.columns or [])
