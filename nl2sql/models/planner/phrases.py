"""What the parser produces: phrases with roles, cues, comparisons (``parse``).

The data of a parse, apart from the code that reads a question into it, so the
role assignment (``roles``) and the parser share one definition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nl2sql.models.planner.cues import (
    Relative,
)
from nl2sql.models.planner.words import (
    Tok,
    is_plural,
)

# Roles of a phrase.
COUNT = "count"  # how many X / number of X
PCT_BASE = "pct_base"  # percentage of X
MEASURE = "measure"  # average/total/min/max X
GROUP = "group"  # by/per/each X
RANK_GROUP = "rank_group"  # top 5 X / 3 most common X
RANK_MEASURE = "rank_measure"  # (has) the most X / the highest X
WHICH = "which"  # which X ...
ROW_RANK = "row_rank"  # the cheapest X
OF = "of"  # ... of X, right after a counted or measured phrase
CONTEXT = "context"  # everything else: filters, owners, hints


# "the greatest number of", "the least number of": a ranking by how many (descending?)
RANK_NUMBER = {"most": True, "greatest": True, "largest": True, "highest": True,
               "biggest": True, "least": False, "fewest": False, "lowest": False,
               "smallest": False}


@dataclass
class Cue:
    kind: str
    word: str
    value: Any = None
    at: int = -1  # token index


@dataclass
class Phrase:
    toks: list[Tok]
    role: str = CONTEXT
    aggs: list[str] = field(default_factory=list)
    distinct: bool = False
    negated: bool = False
    desc: bool = True  # ranking direction
    limit: int | None = None
    superlative: tuple[str, bool] | None = None  # ROW_RANK: (kind, descending)
    agent_candidate: bool = False  # "placed by users": maybe the doer, not a grouping
    group_word: str = ""  # the cue that made this a grouping: by, per, each...
    chunk: bool = False
    order_by: bool = False  # "the cheapest product by retail price": what ranks the rows
    related: bool = False  # after "never"/"no"/"more than 2": maybe rows related to another's

    @property
    def text(self) -> str:
        return " ".join(t.raw for t in self.toks)

    @property
    def plural(self) -> bool:
        return any(is_plural(t.raw) for t in self.toks[-1:])


@dataclass
class Comparison:
    op: str
    number: float | int
    after: int  # token index of the comparative word
    hint: str | None = None  # e.g. "age" for "older than"
    end: int = -1  # a comparison with the average: the index after "average"


@dataclass
class Parse:
    question: str
    toks: list[Tok]
    phrases: list[Phrase]
    years: list[tuple[str, int]] = field(default_factory=list)  # (op, year)
    both_years: bool = False  # "in both 2023 and 2024": each year, not a range
    months: list[int] = field(default_factory=list)
    relative: list[tuple[str, str, Relative]] = field(default_factory=list)  # (part, op, when)
    time_units: list[str] = field(default_factory=list)  # from yearly/monthly/...
    comparisons: list[Comparison] = field(default_factory=list)
    versus: list[Comparison] = field(default_factory=list)  # "above the average": number 0,
    # ``after`` the comparative's index, ``end`` the index after "average"
    pct: bool = False
    elliptical: bool = False
    question_like: bool = False  # has a question word, a count or an aggregate

    def roles(self, *roles: str) -> list[Phrase]:
        return [p for p in self.phrases if p.role in roles]
