"""The JSON API."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from nl2sql.errors import BadRequest
from nl2sql.web import runtime_of

bp = Blueprint("api", __name__)

MAX_QUESTION_CHARS = 2000


def question_from(payload: object) -> str:
    if not isinstance(payload, dict):
        raise BadRequest("send a JSON object like {\"question\": \"How many orders are there?\"}")
    question = payload.get("question")
    if not isinstance(question, str) or not question.strip():
        raise BadRequest("'question' must be a non-empty string")
    if len(question) > MAX_QUESTION_CHARS:
        raise BadRequest(f"'question' is longer than {MAX_QUESTION_CHARS} characters")
    return question.strip()


@bp.post("/api/ask")
def ask():  # type: ignore[no-untyped-def]
    question = question_from(request.get_json(silent=True))
    answer, _ = runtime_of(current_app).agent(labels={"interface": "api"}).ask(question)
    return jsonify({"ok": True, **answer.to_dict()})


@bp.get("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    return jsonify({"ok": True})
