"""Comparisons with something other than a number: "museums with more staff than the
minimum staff of museums opened after 2010", "dogs older than their owner's dog".

The audit credits comparison words as a feature: any comparison in the plan (a year
range, another bound) covers them. A comparative word followed by "than" and no number
compares with a quantity the planner reads only as "the average" (``versus``); when
the parser took no comparison at that word, the plan holds none for it, and another
comparison elsewhere must not make the question look read.
"""

from __future__ import annotations

from nl2sql.models.planner.phrases import Parse
from nl2sql.models.planner.plan import Plan

COMPARATIVES = frozenset({
    "more", "less", "fewer", "greater", "higher", "lower", "larger", "smaller", "bigger",
    "older", "younger", "longer", "shorter", "heavier", "lighter", "cheaper", "pricier",
    "taller"})
_SKIP = frozenset({"the", "a", "an"})
REACH = 4  # words from the comparative to "than": "more staff than", "more paid staff than"


def unread_comparisons(parsed: Parse, plan: Plan) -> list[str]:
    """Why the plan does not answer a "<more> ... than <not a number>" comparison."""
    toks = parsed.toks
    taken = ({c.after for c in parsed.comparisons + parsed.versus} | plan.accounted
             | {i for c in plan.conditions for i in c.tokens})
    out: list[str] = []
    for t in toks:
        if t.low not in COMPARATIVES or t.i in taken:
            continue
        than = next((j for j in range(t.i + 1, min(len(toks), t.i + REACH + 1))
                     if toks[j].low == "than"), None)
        if than is None or than in taken:
            continue
        k = than + 1
        while k < len(toks) and toks[k].low in _SKIP:
            k += 1
        if k >= len(toks) or toks[k].number is not None:
            continue
        said = " ".join(x.raw for x in toks[t.i:min(len(toks), k + 3)])
        out.append(f"I cannot compare as '{said}' asks")
    return out
