"""Conversations and the answers given in them, kept with an expiry and scoped
to the user who had them.

A conversation stores the agent's message history (so a follow-up carries it)
and one row per answer (the API answer object, so pages, CSV exports and Slack
links can find an answer again by id). Expiry slides: each new turn pushes it
back by ``ttl_s``. A record of another user, or an expired one, reads exactly
like a missing one, so ids leak nothing.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nl2sql.errors import NotFound
from nl2sql.history import Conversation
from nl2sql.models.base import Message
from nl2sql.state.db import StateDB

DEFAULT_TTL_S = 7 * 24 * 3600
PURGE_EVERY_S = 600  # purging is a scan; do it at most this often per process



def new_id() -> str:
    """An unguessable id: knowing one id must not help to find another."""
    return secrets.token_hex(12)


@dataclass
class AnswerRecord:
    id: str
    conversation_id: str
    user: str
    created_at: float
    question: str
    sql: str | None
    data: dict[str, Any]  # the API answer object


@dataclass
class ConversationRecord:
    id: str
    user: str
    interface: str
    created_at: float
    updated_at: float
    expires_at: float
    messages: list[Message]

    @property
    def conversation(self) -> Conversation:
        """The history to pass to ``Agent.ask`` for a follow-up."""
        return Conversation(list(self.messages))


class ConversationStore:
    def __init__(self, db: StateDB, *, ttl_s: float = DEFAULT_TTL_S,
                 clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.ttl_s = ttl_s
        self.clock = clock
        self._last_purge = 0.0

    # -- reading -----------------------------------------------------------------

    def get(self, conversation_id: str, user: str) -> ConversationRecord:
        rows = self.db.fetch(
            'SELECT * FROM conversations WHERE id = ? AND "user" = ? AND expires_at > ?',
            (conversation_id, user, self.clock()),
        )
        if not rows:
            raise NotFound(f"conversation {conversation_id!r} not found (or expired)")
        r = rows[0]
        return ConversationRecord(
            id=r["id"], user=r["user"], interface=r["interface"], created_at=r["created_at"],
            updated_at=r["updated_at"], expires_at=r["expires_at"],
            messages=[Message.from_dict(m) for m in json.loads(r["messages"])],
        )

    def answers(self, conversation_id: str, user: str) -> list[AnswerRecord]:
        """Answers of a live conversation, oldest first."""
        self.get(conversation_id, user)  # raises NotFound for others' or expired ones
        # Insertion order breaks ties of equal timestamps (SQLite's rowid).
        order = "rowid" if self.db.dialect == "sqlite" else "seq"
        rows = self.db.fetch(
            f"SELECT * FROM answers WHERE conversation_id = ? ORDER BY created_at, {order}",
            (conversation_id,),
        )
        return [_answer(r) for r in rows]

    def answer(self, answer_id: str, user: str) -> AnswerRecord:
        rows = self.db.fetch(
            "SELECT a.* FROM answers a JOIN conversations c ON c.id = a.conversation_id "
            'WHERE a.id = ? AND a."user" = ? AND c.expires_at > ?',
            (answer_id, user, self.clock()),
        )
        if not rows:
            raise NotFound(f"answer {answer_id!r} not found (or expired)")
        return _answer(rows[0])

    def latest_conversation(self, user: str, within_s: float,
                            interface: str | None = None) -> str | None:
        """The user's most recent conversation updated in the last ``within_s``
        seconds (e.g. a Slack follow-up), or None."""
        now = self.clock()
        sql = ('SELECT id FROM conversations WHERE "user" = ? AND updated_at >= ? '
               "AND expires_at > ?")
        params: list[Any] = [user, now - within_s, now]
        if interface is not None:
            sql += " AND interface = ?"
            params.append(interface)
        rows = self.db.fetch(sql + " ORDER BY updated_at DESC LIMIT 1", params)
        return rows[0]["id"] if rows else None

    # -- writing -----------------------------------------------------------------

    def add_turn(self, conversation_id: str | None, user: str, conversation: Conversation,
                 answer: dict[str, Any], *, interface: str = "web",
                 answer_id: str | None = None) -> tuple[str, str]:
        """Save the history after a turn and its answer; returns (conversation_id, answer_id).

        ``conversation_id`` None starts a new conversation. An id owned by another
        user is refused (NotFound) rather than overwritten.
        """
        now = self.clock()
        answer_id = answer_id or new_id()
        new = conversation_id is None
        conversation_id = conversation_id or new_id()
        # Serialised before the transaction: it holds the database's write lock
        # (and, on SQLite, the process's one connection), so it must be short.
        messages = json.dumps([m.to_dict() for m in conversation.messages])
        data = json.dumps({**answer, "answer_id": answer_id, "conversation_id": conversation_id})
        with self.db.tx() as conn:
            if new:
                conn.execute(
                    'INSERT INTO conversations (id, "user", interface, created_at, updated_at,'
                    " expires_at, messages) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (conversation_id, user, interface, now, now, now + self.ttl_s, messages),
                )
            else:
                cur = conn.execute(
                    "UPDATE conversations SET messages = ?, updated_at = ?, expires_at = ? "
                    'WHERE id = ? AND "user" = ? AND expires_at > ?',
                    (messages, now, now + self.ttl_s, conversation_id, user, now),
                )
                if cur.rowcount != 1:
                    raise NotFound(f"conversation {conversation_id!r} not found (or expired)")
            conn.execute(
                'INSERT INTO answers (id, conversation_id, "user", created_at, question, sql,'
                " data) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (answer_id, conversation_id, user, now, answer.get("question") or "",
                 answer.get("sql"), data),
            )
        self._maybe_purge(now)
        return conversation_id, answer_id

    def purge_expired(self) -> int:
        """Delete expired conversations and their answers; returns how many went."""
        now = self.clock()
        with self.db.tx() as conn:
            conn.execute(
                "DELETE FROM answers WHERE conversation_id IN "
                "(SELECT id FROM conversations WHERE expires_at <= ?)", (now,))
            return conn.execute("DELETE FROM conversations WHERE expires_at <= ?",
                                (now,)).rowcount

    def _maybe_purge(self, now: float) -> None:
        if now - self._last_purge >= PURGE_EVERY_S:
            self._last_purge = now
            self.purge_expired()


def _answer(r: Any) -> AnswerRecord:
    return AnswerRecord(id=r["id"], conversation_id=r["conversation_id"], user=r["user"],
                        created_at=r["created_at"], question=r["question"], sql=r["sql"],
                        data=json.loads(r["data"]))
