"""``POST /api/answers/<id>/feedback`` and ``/verify``: thumbs and verified pairs."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request

from nl2sql.errors import BadRequest
from nl2sql.knowledge import actions
from nl2sql.knowledge.feedback import parse_feedback
from nl2sql.web.api import checked_id, json_body
from nl2sql.web.services import services

bp = Blueprint("knowledge", __name__)


@bp.post("/api/answers/<answer_id>/feedback")
def feedback(answer_id: str) -> Any:
    vote, comment = parse_feedback(json_body())
    s = services()
    return jsonify(actions.vote(s.runtime.knowledge, s.store, s.metrics,
                                checked_id(answer_id, "answer"), g.user, vote, comment, "web"))


@bp.post("/api/answers/<answer_id>/verify")
def verify(answer_id: str) -> Any:
    body = request.get_json(silent=True) if request.content_length else {}
    if not isinstance(body, dict):
        raise BadRequest('send no body, or a JSON object like {"question": "..."}')
    question = body.get("question")
    if question is not None and not isinstance(question, str):
        raise BadRequest("'question' must be a string")
    s = services()
    return jsonify(actions.verify(s.runtime.knowledge, s.store, checked_id(answer_id, "answer"),
                                  g.user, question))
