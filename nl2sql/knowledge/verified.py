"""Verified question -> SQL pairs, and the lexical search that offers them to models.

Three sources, searched together:

- ``verified_queries`` in the dataset's definitions file (version-controlled);
- analysts who mark an answer verified, or ``nl2sql verified add`` (the state store);
- reports whose SQL is pinned in the reports file.

Every pair passes the safety gate when it is added (the file's when it loads).
An answer anyone voted down is never stored and never offered. Similarity is
rapidfuzz's token-sort ratio on normalised questions; ``same_question`` marks
a near-identical one, which a model may run as it is.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from nl2sql.errors import BadRequest, NotFound
from nl2sql.safety import Policy, check_sql
from nl2sql.state.db import StateDB

MIN_SCORE = 45.0  # below this a pair is more noise than example
SAME_QUESTION = 92.0  # fuzz.ratio of normalised questions that counts as "the same"
MAX_QUESTION = 1000



@dataclass
class VerifiedQuery:
    id: str
    dataset: str
    question: str
    sql: str
    source: str  # file | analyst | cli | report
    created_by: str = ""
    created_at: float = 0.0
    answer_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass
class Match:
    query: VerifiedQuery
    score: float
    same_question: bool

    def to_tool(self) -> dict[str, Any]:
        # id and verified_by let a model say which pair it reused, and whose it is
        return {"id": self.query.id, "question": self.query.question, "sql": self.query.sql,
                "dataset_id": self.query.dataset, "score": round(self.score),
                "same_question": self.same_question, "source": self.query.source,
                "verified_by": self.query.created_by}


#: words that change how a question is put, not what it asks
FILLER = frozenset({
    "a", "an", "the", "is", "are", "was", "were", "be", "been", "our", "my", "your", "their",
    "we", "us", "me", "i", "you", "please", "show", "tell", "give", "list", "what", "whats",
    "which", "do", "does", "did", "can", "could", "would", "will", "let", "kindly", "there",
    "here"})


def normalise(question: str) -> str:
    """Lower case, words only, fillers dropped: 'What was our revenue?' -> 'revenue'."""
    words = re.findall(r"[a-z0-9]+", question.lower().replace("'", ""))
    kept = [w for w in words if w not in FILLER]
    return " ".join(kept or words)


def sql_key(sql: str) -> str:
    """SQL text compared loosely: case, spacing and a final semicolon do not count."""
    return " ".join(sql.strip().rstrip(";").split()).lower()


def voted_down(query: VerifiedQuery, down: Iterable[tuple[str, list[str]]]) -> bool:
    """True when an answer to this pair's question (or a near one) that ran this pair's
    SQL was voted down: whichever model reused the pair, the pair is not offered again."""
    key, asked = sql_key(query.sql), normalise(query.question)
    return any(key in {sql_key(s) for s in sqls}
               and fuzz.ratio(asked, normalise(question)) >= SAME_QUESTION
               for question, sqls in down)


def dataset_of(sql: str, policy: Policy) -> str:
    """The gate checks ``sql`` and names the dataset of its first table."""
    checked = check_sql(sql, policy)
    if not checked.tables:
        raise BadRequest("a verified query must read at least one table")
    return checked.tables[0].rsplit(".", 2)[-2]


class VerifiedStore:
    """The stored pairs (analysts, CLI); file and report pairs are passed to ``search``."""

    def __init__(self, db: StateDB, *, clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.clock = clock

    def add(self, question: str, sql: str, policy: Policy, *, source: str = "cli",
            user: str = "", answer_id: str | None = None) -> VerifiedQuery:
        """Gate-check and store one pair; an answer with a down vote is refused."""
        question = " ".join(question.split())
        if not 3 <= len(question) <= MAX_QUESTION:
            raise BadRequest(f"a verified question must have 3 to {MAX_QUESTION} characters")
        if answer_id and self._down_voted(answer_id):
            raise BadRequest("this answer was voted down, so it cannot be marked verified")
        sql = sql.strip().rstrip(";").strip()
        dataset = dataset_of(sql, policy)
        query = VerifiedQuery(secrets.token_hex(8), dataset, question, sql, source, user,
                              self.clock(), answer_id)
        with self.db.tx() as conn:
            if answer_id:  # marking the same answer twice keeps one pair
                conn.execute("DELETE FROM verified_queries WHERE answer_id = ?", (answer_id,))
            conn.execute(
                "INSERT INTO verified_queries (id, dataset, question, sql_text, source, "
                "answer_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (query.id, dataset, question, sql, source, answer_id, user, query.created_at))
        return query

    def remove(self, query_id: str) -> None:
        with self.db.tx() as conn:
            n = conn.execute("DELETE FROM verified_queries WHERE id = ?", (query_id,)).rowcount
        if not n:
            raise NotFound(f"no verified query with id {query_id!r}")

    def list(self, dataset: str | None = None) -> list[VerifiedQuery]:
        """Stored pairs, oldest first, leaving out answers voted down since."""
        sql = ("SELECT * FROM verified_queries v WHERE NOT EXISTS (SELECT 1 FROM feedback f "
               "WHERE f.answer_id = v.answer_id AND f.vote = 'down')")
        params: list[Any] = []
        if dataset is not None:
            sql += " AND v.dataset = ?"
            params.append(dataset)
        rows = self.db.fetch(sql + " ORDER BY v.created_at, v.id", params)
        return [VerifiedQuery(r["id"], r["dataset"], r["question"], r["sql_text"], r["source"],
                              r["created_by"], r["created_at"], r["answer_id"]) for r in rows]

    def _down_voted(self, answer_id: str) -> bool:
        return bool(self.db.fetch(
            "SELECT 1 FROM feedback WHERE answer_id = ? AND vote = 'down'", (answer_id,)))


def search(question: str, candidates: Iterable[VerifiedQuery], *, limit: int = 3,
           min_score: float = MIN_SCORE) -> list[Match]:
    """The pairs most like ``question``, best first; ties keep the candidates' order."""
    wanted = normalise(question)
    found: list[Match] = []
    seen: set[tuple[str, str]] = set()
    for q in candidates:
        key = (normalise(q.question), " ".join(q.sql.split()))
        if key in seen:
            continue
        seen.add(key)
        score = fuzz.token_sort_ratio(wanted, key[0])
        if score >= min_score:
            found.append(Match(q, score, fuzz.ratio(wanted, key[0]) >= SAME_QUESTION))
    found.sort(key=lambda m: (-m.same_question, -m.score))
    return found[:limit]
