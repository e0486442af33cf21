"""Year columns named for an event, said as its verb: "students who graduated in 2023"
(graduation_year), "stadiums opened after 1990" (OpenedYear), "films released before
2000" (release_yr), "museums that were open before 2009" (Open_Year, the word itself),
"clubs founded after 1990" (YearFounded, the year named first). The verb said within a
few words before the year picks the column among a table's year columns, and is then
accounted for: it says which year is meant.

A verb that names no year column the filter uses stays unaccounted, so "students who
graduated in 2023" over a table with only entry_year is declined, not read as the year
they entered.

>>> names_event("graduated", "graduation"), names_event("opened", "opened")
(True, True)
>>> names_event("open", "open"), names_event("founded", "founded")
(True, True)
>>> names_event("enrolled", "enrolment"), names_event("released", "release")
(True, True)
>>> names_event("graduated", "entry"), names_event("born", "birth")
(False, False)
"""

from __future__ import annotations

from nl2sql.models.planner.catalog import Column
from nl2sql.models.planner.lexicon import lemmas
from nl2sql.models.planner.words import Tok

# Endings that make a noun of a verb: graduat-ion, enrol-ment, arriv-al, insur-ance.
_NOUN_ENDINGS = ("ation", "ion", "ment", "al", "ance", "ence")
NEAR = 3  # "graduated in 2023", "were opened after 1990": the verb is a few words before


def names_event(verb: str, word: str) -> bool:
    """``verb`` (a past or -ing form) is the event ``word`` names."""
    if verb == word:
        return True  # "museums that were open before 2009": Open_Year
    if not verb.endswith(("ed", "ing")):
        return False
    forms = set(lemmas(verb)[1:])
    stems = {word} | {word[:-len(e)] for e in _NOUN_ENDINGS
                      if word.endswith(e) and len(word) - len(e) >= 3}
    return verb == word or bool(forms & (stems | {s + "e" for s in stems}))


def event_verbs(toks: list[Tok], years_at: list[int], col: Column) -> list[int]:
    """Indexes of the verbs said just before a year that name ``col``'s event."""
    if len(col.words) != 2 or "year" not in col.words:
        return []
    event = col.words[0] if col.words[-1] == "year" else col.words[-1]  # YearFounded
    # after "than" the words describe the rows compared with ("more staff than the minimum
    # of all museums opened after 2010"), which a plain filter would not say
    # ("more than 15 staff opened after 2010" compares with a number: no rows described)
    than = next((t.i for t in toks if t.low == "than" and t.i + 1 < len(toks)
                 and toks[t.i + 1].number is None), len(toks))
    return [t.i for y in years_at for t in toks[max(0, y - NEAR):y]
            if t.i < than and names_event(t.low, event)]


def event_year_column(toks: list[Tok], years_at: list[int], cols: list[Column]) -> Column | None:
    """The one year column whose event a verb before the year says."""
    said = [c for c in cols if event_verbs(toks, years_at, c)]
    return said[0] if len(said) == 1 else None
