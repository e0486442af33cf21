"""``POST /slack/commands``: the endpoint Slack calls for the ``/ask`` slash command.

Thin by design: read the raw body (the signature covers the exact bytes),
answer Slack's ``ssl_check`` probe, verify the signature, parse the command and
hand it to ``SlackService``, whose reply is the 3-second acknowledgement.
Without ``SLACK_SIGNING_SECRET`` nothing here can be trusted, so the endpoint
is off (404) and the app says why when it starts.

The service's pool, retries and timeouts are the ``NL2SQL_SLACK_*`` settings.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask, abort, current_app, g, jsonify, request
from flask.blueprints import BlueprintSetupState

from nl2sql.presentation.charts import chart_png
from nl2sql.slack import feedback as slack_feedback
from nl2sql.slack.responder import Budget
from nl2sql.slack.service import SlackService
from nl2sql.slack.verify import (
    InvalidRequest,
    RequestVerifier,
    is_ssl_check,
    parse_command,
    parse_form,
)
from nl2sql.web import runtime_of
from nl2sql.web.services import services

log = logging.getLogger(__name__)

bp = Blueprint("slack", __name__)

_EXT = "nl2sql.slack"


@bp.record_once
def _build(state: BlueprintSetupState) -> None:
    settings = runtime_of(state.app).settings
    if not settings.slack_signing_secret:
        log.warning("Slack endpoint /slack/commands is off: SLACK_SIGNING_SECRET is not set")
        return
    if not settings.slack_bot_token:
        log.info("Slack endpoint /slack/commands is on; charts are off: "
                 "SLACK_BOT_TOKEN is not set")
    # The app's one answer service: Slack shares the web API's conversation store,
    # rate limiter (one state file, so limits hold across gunicorn workers) and metrics.
    state.app.extensions[_EXT] = SlackService(services(state.app), chart=chart_png)


def slack_service(app: Flask) -> SlackService:
    """The app's one ``SlackService`` (there is one when the signing secret is set)."""
    service: SlackService = app.extensions[_EXT]
    return service


def _signed_body(kind: str, *, ssl_check: bool = True) -> bytes | None:
    """The request body once Slack's signature on it is verified: 404 while Slack is
    off (no signing secret), 401 for a bad signature. None for Slack's unsigned
    certificate probe (``ssl_check``), where ``ssl_check`` allows one."""
    secret = runtime_of(current_app).settings.slack_signing_secret
    if not secret:
        abort(404)
    body = request.get_data(cache=True)
    if ssl_check and is_ssl_check(parse_form(body)):
        return None
    try:
        RequestVerifier(secret).verify(body, dict(request.headers.items()))
    except InvalidRequest as e:
        log.warning("slack %s refused from %s: %s", kind, request.remote_addr, e.reason)
        abort(401, description="request signature is missing, invalid or expired")
    return body


@bp.post("/slack/commands")
def commands() -> Any:
    body = _signed_body("request")
    if body is None:
        # Slack's certificate probe: answer 200, do nothing (as Slack's own Bolt does).
        return "", 200
    form = parse_form(body)
    try:
        command = parse_command(form)
    except ValueError as e:
        abort(400, description=str(e))
    try:
        reply = slack_service(current_app).handle(command, request_id=g.get("request_id"))
    except Exception:
        # Slack shows a bare "dispatch_failed" for a 5xx; a sentence is kinder.
        log.exception("slack command from %s failed", command.user_key)
        reply = {"response_type": "ephemeral",
                 "text": "Sorry, something went wrong on our side. Please try again later."}
    return jsonify(reply)


@bp.post("/slack/interactions")
def interactions() -> Any:
    """Clicks on an answer's feedback buttons (Block Kit ``block_actions``)."""
    body = _signed_body("interaction", ssl_check=False)
    assert body is not None  # only an ssl_check is None
    try:
        click = slack_feedback.parse_interaction(parse_form(body))
    except ValueError as e:
        abort(400, description=str(e))
    if click is None:
        return "", 200  # another app's interaction, or a kind we do not handle
    s = services()
    note = slack_feedback.handle(click, s.runtime.knowledge, s.store, s.metrics)
    if click.response_url:
        # Slack ignores the body of a block_actions response: the note goes to response_url.
        slack_service(current_app).responder.post(click.response_url, note, Budget())
    return "", 200
