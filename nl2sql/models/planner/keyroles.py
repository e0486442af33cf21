"""Which of a table's keys to the same table the question means: role keys.

A table often points at another twice: ``Flights(SourceAirport, DestAirport)``,
``Friend(student_id, friend_id)`` and ``Likes(student_id, liked_id)`` to one
Highschooler, ``Matches(home_team_id, away_team_id)``, ``Messages(sender_id,
receiver_id)``. The question's words choose, in this order:

1. a role word of the key it says (``origin airport``, ``liked``): a key's word that
   only names its own table (``friend`` of friend_id in Friend) is the table's name,
   so "friends" chooses no end;
2. a direction: "from", "departing", "leaving", "sent" choose the key whose name says
   the start (origin, source, from, sender, home); "to", "arriving", "destination",
   "received" the end (destination, target, to, receiver, away). A question with
   words of both directions ("from Lima to Quito" needs the table twice) chooses none;
3. the relation's owner: of ``Friend(student_id, friend_id)`` the rows are the
   student's friends, so "students who have friends", "friends per student" read
   ``student_id``; the key named for its own table (``friend_id``, ``liked_id``) is
   the other end, chosen only by its own word (1).

What is still tied is declined by the callers, naming the ways (``joins.route``,
``sets``).
"""

from __future__ import annotations

from nl2sql.models.planner.catalog import Catalog, Column, Table
from nl2sql.models.planner.plan import Plan, Related
from nl2sql.models.planner.words import Tok, root

# Ends of a directed relation, as words of key names and of questions (general English).
START = frozenset({"origin", "source", "src", "from", "departure", "depart", "departing",
                   "departs", "leaving", "leave", "leaves", "sender", "sent", "send", "home",
                   "originating", "start", "starting", "outbound"})
END = frozenset({"destination", "dest", "dst", "to", "target", "arrival", "arrive", "arriving",
                 "arrives", "receiver", "received", "receive", "recipient", "away", "end",
                 "ending", "inbound", "bound"})


def direction(stems: set[str]) -> frozenset[str] | None:
    """The end the question's words speak of, or None (neither, or both)."""
    start, end = bool(stems & START), bool(stems & END)
    return START if start and not end else END if end and not start else None


def role_words(via: Table, fk: Column) -> set[str]:
    """The words a key's name adds to what it points at, less its own table's name."""
    return {w for w in fk.words if w not in via.words}


def said(via: Table, fk: Column, stems: set[str]) -> int:
    """Role words of the key the question says (a word starting with one: "currently"
    says current_address_id)."""
    return sum(any(s.startswith(w) for s in stems) for w in role_words(via, fk)
               if len(w) >= 4 or w in stems)


def towards(fk: Column, stems: set[str]) -> int:
    """+1 when the key's name is of the end the question's direction words say, -1 when
    of the other end, 0 when either says none."""
    wanted = direction(stems)
    if wanted is None:
        return 0
    other = END if wanted is START else START
    words = set(fk.words)
    return 1 if words & wanted and not words & other else -1 if words & other else 0


def other_end(via: Table, fk: Column) -> bool:
    """``friend_id`` in Friend: the key named for its own table is the relation's other
    end, not its owner (``liked_id`` in Likes: "liked" and "likes" share their root)."""
    return bool(fk.words) and [root(w) for w in fk.words] == [root(w) for w in via.words]


def score(via: Table, fk: Column, stems: set[str]) -> tuple[int, int, int]:
    return said(via, fk, stems), towards(fk, stems), -other_end(via, fk)


def preferred(ends: list[tuple[Table, Column]], stems: set[str]) -> list[int]:
    """Indexes of the keys the question's words choose among ``ends`` (all of them when
    nothing chooses)."""
    scores = [score(via, fk, stems) for via, fk in ends]
    best = max(scores, default=(0, 0, 0))
    return [i for i, s in enumerate(scores) if s == best]


def direction_words(plan: Plan, toks: list[Tok]) -> set[int]:
    """The question's direction words a role key of the plan was chosen by ("routes
    departing from Peru": SourceAirport), as token indexes the plan accounts for."""
    stems = {t.stem for t in toks}
    wanted = direction(stems)
    if wanted is None:
        return set()
    keys = [j.fk for j in plan.joins] + [c.fk for c in plan.conditions if isinstance(c, Related)]
    if not any(towards(fk, stems) > 0 for fk in keys):
        return set()
    return {t.i for t in toks if t.stem in wanted or t.low in wanted}


def says_key(t: Tok, via: Table, subject: Table, catalog: Catalog) -> bool:
    """``battles that lost no ships``: the word is a role word of ``via``'s key to the
    subject (ship.lost_in_battle), so it names the relation the condition reads."""
    return len(t.low) >= 4 and any(
        j.target is subject and any(root(w) == root(t.low) for w in role_words(via, j.fk)
                                    if w not in subject.words)
        for j in catalog.joins_from(via))
