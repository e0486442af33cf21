"""Thumbs up or down on an answer, with an optional comment, one vote per user.

A user's later vote replaces their earlier one. A down vote from anyone keeps
the answer out of the verified queries for good (``VerifiedStore`` checks it
both when an answer is marked verified and when it searches). The SQL here is
plain enough for SQLite and PostgreSQL alike (``ON CONFLICT ... DO UPDATE``;
no column is named after a reserved word).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nl2sql.errors import BadRequest
from nl2sql.state.db import StateDB

MAX_COMMENT = 2000
VOTES = ("up", "down")



@dataclass
class FeedbackRecord:
    answer_id: str
    user: str
    vote: str
    comment: str | None
    interface: str
    question: str | None
    created_at: float

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self))


def parse_feedback(payload: object) -> tuple[str, str | None]:
    """``{"vote": "up"|"down", "comment"?: str}`` -> (vote, comment), or ``BadRequest``."""
    if not isinstance(payload, dict):
        raise BadRequest('send a JSON object like {"vote": "up", "comment": "..."}')
    vote = payload.get("vote")
    if vote not in VOTES:
        raise BadRequest(f"'vote' must be \"up\" or \"down\", not {vote!r}")
    comment = payload.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise BadRequest("'comment' must be a string")
    comment = (comment or "").strip() or None
    if comment and len(comment) > MAX_COMMENT:
        raise BadRequest(f"'comment' is too long ({len(comment)} characters; at most "
                         f"{MAX_COMMENT})")
    unknown = set(payload) - {"vote", "comment"}
    if unknown:
        raise BadRequest(f"unknown field(s): {', '.join(sorted(unknown))}")
    return vote, comment


class FeedbackStore:
    def __init__(self, db: StateDB, *, clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.clock = clock

    def record(self, answer_id: str, user: str, vote: str, comment: str | None = None, *,
               interface: str = "web", question: str | None = None) -> FeedbackRecord:
        """Store (or replace) ``user``'s vote on ``answer_id``."""
        if vote not in VOTES:
            raise BadRequest(f"vote must be 'up' or 'down', not {vote!r}")
        rec = FeedbackRecord(answer_id, user, vote, comment, interface, question, self.clock())
        with self.db.tx() as conn:
            conn.execute(
                "INSERT INTO feedback (answer_id, username, vote, comment, interface, question, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (answer_id, username) DO UPDATE SET vote = excluded.vote, "
                "comment = excluded.comment, interface = excluded.interface, "
                "created_at = excluded.created_at",
                (rec.answer_id, rec.user, rec.vote, rec.comment, rec.interface, rec.question,
                 rec.created_at))
        return rec

    def down_voted(self, answer_id: str) -> bool:
        rows = self.db.fetch("SELECT 1 FROM feedback WHERE answer_id = ? AND vote = 'down'",
                             (answer_id,))
        return bool(rows)

    def down_voted_answers(self) -> list[tuple[str, list[str]]]:
        """(question, SQL texts) of every answer voted down: the SQL that ran and the
        model's text of it (a verified pair's SQL is either, depending on who reused it)."""
        rows = self.db.fetch(
            "SELECT DISTINCT a.id, a.question, a.sql, a.data FROM answers a "
            "JOIN feedback f ON f.answer_id = a.id WHERE f.vote = 'down'")
        out = []
        for r in rows:
            try:
                model_sql = json.loads(r["data"] or "{}").get("model_sql")
            except (ValueError, AttributeError):
                model_sql = None
            sqls = [s for s in (r["sql"], model_sql) if isinstance(s, str) and s]
            if sqls:
                out.append((r["question"] or "", sqls))
        return out

    def counts(self, answer_id: str | None = None) -> dict[str, int]:
        """Votes by kind, for one answer or all of them."""
        sql = "SELECT vote, COUNT(*) AS n FROM feedback"
        params: tuple[Any, ...] = ()
        if answer_id is not None:
            sql, params = sql + " WHERE answer_id = ?", (answer_id,)
        found = {r["vote"]: r["n"] for r in self.db.fetch(sql + " GROUP BY vote", params)}
        return {v: int(found.get(v, 0)) for v in VOTES}

    def list(self, *, vote: str | None = None, limit: int = 100) -> list[FeedbackRecord]:
        """Newest first."""
        sql, params = "SELECT * FROM feedback", []
        if vote is not None:
            sql += " WHERE vote = ?"
            params.append(vote)
        rows = self.db.fetch(sql + " ORDER BY created_at DESC LIMIT ?", [*params, limit])
        return [FeedbackRecord(r["answer_id"], r["username"], r["vote"], r["comment"],
                               r["interface"], r["question"], r["created_at"]) for r in rows]
