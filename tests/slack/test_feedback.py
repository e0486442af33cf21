"""Feedback from Slack: buttons under an answer, clicks through the signed
``/slack/interactions`` endpoint, stored per Slack user and never reused when down."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

from nl2sql.models.scripted import ScriptedModel, calls, text
from nl2sql.slack.feedback import VERIFY, VOTE_DOWN, VOTE_UP
from tests.slack.conftest import Served
from tests.slack.peers import Peer, post, sign

SQL = "SELECT status, COUNT(*) AS purchases FROM shop.purchases GROUP BY status ORDER BY status"


def click(served: Served, action_id: str, answer_id: str, response_url: str, *,
          user_id: str = "U0ANALYST", headers: dict[str, str] | None = None) -> Any:
    payload = {"type": "block_actions", "user": {"id": user_id, "team_id": "T0TEAM"},
               "team": {"id": "T0TEAM"}, "response_url": response_url,
               "actions": [{"type": "button", "block_id": "nl2sql_feedback",
                            "action_id": action_id, "value": answer_id}]}
    body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
    return post(f"{served.url}/slack/interactions", body,
                sign(body) if headers is None else headers)


def answered(served: Served, receiver: Peer) -> str:
    """Ask once; the answer id the buttons of the posted answer carry."""
    served.command("How many purchases by status?", receiver.base + "/hook/answer")
    [posted] = receiver.wait_for(1)
    actions = [b for b in posted.json()["blocks"] if b["type"] == "actions"]
    assert len(actions) == 1 and actions[0]["block_id"] == "nl2sql_feedback"
    buttons = {e["action_id"]: e for e in actions[0]["elements"]}
    assert set(buttons) == {VOTE_UP, VOTE_DOWN, VERIFY}
    assert len({e["value"] for e in buttons.values()}) == 1
    return str(buttons[VOTE_DOWN]["value"])


def test_a_signed_click_is_stored_per_user_and_answered_privately(
        serve_app: Callable[..., Served], receiver: Peer) -> None:
    served = serve_app(ScriptedModel(calls(("sql_query", {"query": SQL})), text("Mostly Paid.")))
    answer_id = answered(served, receiver)

    reply = click(served, VOTE_DOWN, answer_id, receiver.base + "/hook/click")
    assert reply.status == 200
    note = receiver.wait_for(2)[1]
    assert note.path == "/hook/click"
    assert note.json()["response_type"] == "ephemeral"
    assert note.json()["replace_original"] is False
    assert "marked wrong and will never be reused" in note.json()["text"]
    knowledge = served.runtime.knowledge
    [vote] = knowledge.feedback.list()  # type: ignore[union-attr]
    assert (vote.user, vote.vote, vote.interface, vote.question) == (
        "slack:T0TEAM:U0ANALYST", "down", "slack", "How many purchases by status?")

    # Down-voted: "Mark verified" is refused, and the pair is never offered.
    click(served, VERIFY, answer_id, receiver.base + "/hook/click")
    assert "voted down" in receiver.wait_for(3)[2].json()["text"]
    assert all(q.source != "analyst" for q in knowledge.candidates())
    with urllib.request.urlopen(f"{served.url}/metrics", timeout=30) as r:
        exposed = r.read().decode()
    counted = [line for line in exposed.splitlines()
               if line.startswith("nl2sql_feedback_total{")]
    assert counted == ['nl2sql_feedback_total{interface="slack",vote="down"} 1.0']


def test_someone_elses_click_changes_nothing(serve_app: Callable[..., Served],
                                             receiver: Peer) -> None:
    served = serve_app(ScriptedModel(calls(("sql_query", {"query": SQL})), text("Mostly Paid.")))
    answer_id = answered(served, receiver)
    click(served, VOTE_UP, answer_id, receiver.base + "/hook/click", user_id="U0OTHER")
    assert "Only the person who asked" in receiver.wait_for(2)[1].json()["text"]
    assert served.runtime.knowledge.feedback.list() == []  # type: ignore[union-attr]


def test_a_forged_or_unsigned_click_is_refused_and_stores_nothing(
        serve_app: Callable[..., Served], receiver: Peer) -> None:
    served = serve_app(ScriptedModel(calls(("sql_query", {"query": SQL})), text("Mostly Paid.")))
    answer_id = answered(served, receiver)
    forged = sign(b"something else")
    assert click(served, VOTE_DOWN, answer_id, receiver.base + "/hook/x",
                 headers=forged).status == 401
    assert click(served, VOTE_DOWN, answer_id, receiver.base + "/hook/x", headers={}).status == 401
    assert served.runtime.knowledge.feedback.list() == []  # type: ignore[union-attr]
    assert len(receiver.received) == 1  # only the answer itself


def test_without_signing_secret_interactions_are_off(serve_app: Callable[..., Served],
                                                     receiver: Peer) -> None:
    served = serve_app(slack_signing_secret="")
    assert click(served, VOTE_UP, "0" * 24, receiver.base + "/hook/x").status == 404
