"""Feedback from Slack: buttons under an answer, and the interaction they send back.

An answer message ends with an actions block — 👍, 👎 and "Mark verified" — whose
buttons carry the answer id. Slack posts a click to ``/slack/interactions`` as a
signed form with one ``payload`` field (JSON, ``type: block_actions``); the web
endpoint verifies the signature with the same ``RequestVerifier`` as commands,
then ``handle`` applies it through ``nl2sql.knowledge.actions`` (the rules the
web API follows) and returns an ephemeral note for the clicker.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from nl2sql.errors import Nl2SqlError, NotFound
from nl2sql.knowledge import actions
from nl2sql.knowledge.library import Knowledge
from nl2sql.metrics import Metrics
from nl2sql.state import ConversationStore

BLOCK_ID = "nl2sql_feedback"
VOTE_UP, VOTE_DOWN, VERIFY = "nl2sql_vote_up", "nl2sql_vote_down", "nl2sql_verify"
MAX_BLOCKS = 50  # Slack's limit per message


def feedback_block(answer_id: str, *, verifiable: bool = True) -> dict[str, Any]:
    buttons = [
        ButtonElement(text="👍 Right", action_id=VOTE_UP, value=answer_id),
        ButtonElement(text="👎 Wrong", action_id=VOTE_DOWN, value=answer_id),
    ]
    if verifiable:
        buttons.append(ButtonElement(text="Mark verified", action_id=VERIFY, value=answer_id))
    return ActionsBlock(block_id=BLOCK_ID, elements=buttons).to_dict()


def with_feedback(message: dict[str, Any], answer_id: str, *,
                  verifiable: bool = True) -> dict[str, Any]:
    """``message`` with the feedback buttons last, when Slack's block limit allows."""
    blocks = message.get("blocks")
    if isinstance(blocks, list) and len(blocks) < MAX_BLOCKS:
        message = {**message, "blocks": [*blocks, feedback_block(answer_id,
                                                                 verifiable=verifiable)]}
    return message


@dataclass(frozen=True)
class Interaction:
    user_key: str  # as for slash commands: slack:TEAM:USER
    action_id: str
    answer_id: str
    response_url: str


def parse_interaction(form: dict[str, str]) -> Interaction | None:
    """The click we handle, None for another kind of interaction; ValueError when malformed."""
    try:
        payload = json.loads(form.get("payload") or "")
    except json.JSONDecodeError:
        raise ValueError("interaction without a JSON payload") from None
    if not isinstance(payload, dict) or payload.get("type") != "block_actions":
        return None
    ours = [a for a in payload.get("actions") or []
            if isinstance(a, dict) and a.get("action_id") in (VOTE_UP, VOTE_DOWN, VERIFY)]
    if not ours:
        return None
    user = payload.get("user") or {}
    team = user.get("team_id") or (payload.get("team") or {}).get("id")
    if not user.get("id") or not team or not ours[0].get("value"):
        raise ValueError("interaction without user, team or answer id")
    return Interaction(f"slack:{team}:{user['id']}", ours[0]["action_id"], ours[0]["value"],
                       str(payload.get("response_url") or ""))


def handle(i: Interaction, knowledge: Knowledge, store: ConversationStore,
           metrics: Metrics) -> dict[str, Any]:
    """Apply the click; the ephemeral message to show the clicker."""
    try:
        if i.action_id == VERIFY:
            actions.verify(knowledge, store, i.answer_id, i.user_key, interface="slack")
            text = "Marked verified: this question and its SQL will be reused."
        else:
            vote = "up" if i.action_id == VOTE_UP else "down"
            actions.vote(knowledge, store, metrics, i.answer_id, i.user_key, vote, None,
                         "slack")
            text = ("Thanks for the feedback." if vote == "up" else
                    "Thanks: this answer is marked wrong and will never be reused. "
                    "Tell us what was wrong on the web page, or ask again more precisely.")
    except NotFound:
        text = "Only the person who asked can rate or verify this answer (or it has expired)."
    except Nl2SqlError as e:
        text = f"That did not work: {e.message}"
    return {"response_type": "ephemeral", "replace_original": False, "text": text}
