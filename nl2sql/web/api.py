"""The JSON API: ask, datasets, conversations, answers, health and metrics."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, jsonify, request

from nl2sql.errors import BadRequest, NotFound
from nl2sql.metrics import CONTENT_TYPE
from nl2sql.service import parse_ask, valid_id
from nl2sql.web.inputs import parse_json
from nl2sql.web.services import services

bp = Blueprint("api", __name__)


def json_body() -> Any:
    """The request's JSON, checked before the view ran (``nl2sql.web.inputs``);
    400 when it is not JSON (413 comes from MAX_CONTENT_LENGTH)."""
    if not request.is_json:
        raise BadRequest('send a JSON body (Content-Type: application/json) like '
                         '{"question": "How many orders are there?"}')
    if "json_body" not in g:  # an empty body: the check had nothing to parse
        g.json_body = parse_json(request.get_data(cache=True))
    return g.json_body


def checked_id(value: str, what: str) -> str:
    if not valid_id(value):
        raise NotFound(f"{what} {value!r} not found")
    return value


@bp.post("/api/ask")
def ask() -> Any:
    question, conversation_id = parse_ask(json_body())
    asker = services().asker
    pending = asker.prepare(g.user, question, conversation_id, interface="web",
                            request_id=g.request_id, rate_key=g.rate_key)
    return jsonify(asker.run(pending))


@bp.get("/api/datasets")
def datasets() -> Any:
    return jsonify({"ok": True, **services().overview.get()})


@bp.get("/api/conversations/<conversation_id>")
def conversation(conversation_id: str) -> Any:
    s = services()
    record = s.store.get(checked_id(conversation_id, "conversation"), g.user)
    answers = s.store.answers(record.id, g.user)
    return jsonify({
        "ok": True,
        "conversation_id": record.id,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "expires_at": record.expires_at,
        "answers": [s.asker.present(a.data) for a in answers],
    })


@bp.get("/api/answers/<answer_id>")
def answer(answer_id: str) -> Any:
    s = services()
    record = s.store.answer(checked_id(answer_id, "answer"), g.user)
    return jsonify(s.asker.present(record.data))


@bp.get("/healthz")
def healthz() -> Any:
    """Liveness: the process serves requests (it does not query the warehouse).

    ``auth`` tells the page whether to ask for a bearer token before it calls
    the API (it says only what a 401 would say anyway)."""
    tokens = services().runtime.settings.api_tokens
    return jsonify({"ok": True, "status": "ok", "auth": "bearer" if tokens else "none"})


@bp.get("/metrics")
def metrics() -> Any:
    return Response(services().metrics.render(), content_type=CONTENT_TYPE)

