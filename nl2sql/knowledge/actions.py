"""What every interface does when a user votes on an answer or marks it verified.

The web API, the page and Slack's buttons all come here, so the rules are one:
the answer must be the user's own (anyone else's reads as missing), a vote is
counted in metrics, and only an answered question with SQL can be verified.
"""

from __future__ import annotations

from typing import Any

from nl2sql.errors import BadRequest
from nl2sql.knowledge.library import Knowledge
from nl2sql.metrics import Metrics
from nl2sql.state import ConversationStore


def vote(knowledge: Knowledge, store: ConversationStore, metrics: Metrics, answer_id: str,
         user: str, vote: str, comment: str | None, interface: str) -> dict[str, Any]:
    """Record ``user``'s vote on their answer; returns the API object."""
    record = store.answer(answer_id, user)  # NotFound for another user's answer
    assert knowledge.feedback is not None
    saved = knowledge.feedback.record(answer_id, user, vote, comment, interface=interface,
                                      question=record.question)
    metrics.inc("nl2sql_feedback_total", {"vote": vote, "interface": interface})
    return {"ok": True, "answer_id": answer_id, "vote": saved.vote, "comment": saved.comment,
            "counts": knowledge.feedback.counts(answer_id)}


def verify(knowledge: Knowledge, store: ConversationStore, answer_id: str, user: str,
           question: str | None = None, interface: str = "web") -> dict[str, Any]:
    """Store the answer's question and SQL as a verified pair (gate-checked again)."""
    record = store.answer(answer_id, user)
    data = record.data
    if data.get("answered") is False or not record.sql:
        raise BadRequest("only an answer with SQL can be marked verified")
    assert knowledge.verified is not None
    saved = knowledge.verified.add(question or record.question, record.sql, knowledge.policy,
                                   source="analyst", user=user,
                                   answer_id=answer_id)
    return {"ok": True, "verified_query": saved.to_dict()}
