"""The slash command, end to end: acknowledge now, answer in the background.

``SlackService.handle`` runs on the web request and must return within Slack's
three seconds, so it only decides (help? rate limited? pool full?) and queues.
``answer`` runs on a pool thread: it continues the user's recent conversation,
asks the agent, posts Block Kit to ``response_url`` and, with a bot token,
uploads a chart of grouped or time-series results to the channel.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

from nl2sql.agent import Conversation
from nl2sql.answer import Answer
from nl2sql.errors import ModelError, Nl2SqlError
from nl2sql.runtime import Runtime
from nl2sql.slack import blocks
from nl2sql.slack.responder import DEFAULT_BACKOFF, Budget, Responder
from nl2sql.slack.upload import SLACK_API_URL, ChartUploader
from nl2sql.slack.verify import SlashCommand
from nl2sql.slack.worker import WorkerPool

log = logging.getLogger("nl2sql.slack")

HELP_WORDS = {"", "help", "?", "-h", "--help"}


@dataclass(frozen=True)
class SlackOptions:
    """Knobs with production defaults; tests shrink the waits."""

    workers: int = 4
    max_waiting: int = 16
    backoff: tuple[float, ...] = DEFAULT_BACKOFF
    post_timeout_s: int = 10
    api_url: str = SLACK_API_URL  # Slack Web API base, for chart uploads
    follow_up_s: float = 5 * 60  # a question this soon after the last continues it


class Limiter(Protocol):
    def hit(self, key: str) -> Any: ...  # -> Decision(allowed, remaining, retry_after_s)


class Conversations(Protocol):
    def latest_conversation(self, user: str, within_s: float,
                            interface: str | None = None) -> str | None: ...
    def get(self, conversation_id: str, user: str) -> Any: ...
    def add_turn(self, conversation_id: str | None, user: str, conversation: Conversation,
                 answer: dict[str, Any], *, interface: str = ...,
                 answer_id: str | None = ...) -> tuple[str, str]: ...


ChartRenderer = Callable[[Answer], bytes | None]


def label_value(text: str) -> str:
    """A BigQuery-label-safe value: lowercase letters, digits, '_' and '-', <= 63 chars."""
    return re.sub(r"[^a-z0-9_-]", "_", text.lower())[:63]


class SlackService:
    def __init__(self, runtime: Runtime, *, conversations: Conversations, limiter: Limiter,
                 options: SlackOptions | None = None, chart: ChartRenderer | None = None,
                 responder: Responder | None = None) -> None:
        self.runtime = runtime
        self.settings = runtime.settings
        self.options = options or SlackOptions()
        self.conversations = conversations
        self.limiter = limiter
        self.chart = chart
        self.pool = WorkerPool(self.options.workers, self.options.max_waiting)
        self.responder = responder or Responder(backoff=self.options.backoff,
                                                timeout_s=self.options.post_timeout_s)
        token = self.settings.slack_bot_token
        self.uploader = ChartUploader(token, self.options.api_url) if token else None

    @property
    def response_type(self) -> str:
        kind = self.settings.slack_response_type.strip().lower()
        return kind if kind in ("in_channel", "ephemeral") else "in_channel"

    # -- on the request thread ------------------------------------------------------

    def handle(self, command: SlashCommand) -> dict[str, Any]:
        """The immediate reply to a verified command (Slack shows it to the user only)."""
        if command.text.lower() in HELP_WORDS:
            return blocks.help_message(command.command)
        decision = self.limiter.hit(command.user_key)
        if not decision.allowed:
            wait = max(1, round(decision.retry_after_s))
            log.info("slack %s rate limited (%ss)", command.user_key, wait)
            return blocks.notice_message(
                f"You have asked a lot of questions recently. Try again in {wait} s.")
        budget = Budget()  # the 30-minute window starts at the command, not at the answer
        queued = self.pool.submit(lambda: self.answer(command, budget))
        if queued is None:
            log.warning("slack %s refused: %d questions in progress", command.user_key,
                        self.pool.busy)
            return blocks.notice_message(
                "I am answering many questions right now. Please try again in a minute.")
        log.info("slack %s in %s asked: %s", command.user_key, command.channel_id,
                 command.text)
        return blocks.working_message(command.text)

    # -- on a pool thread -----------------------------------------------------------

    def answer(self, command: SlashCommand, budget: Budget) -> None:
        """Answer one command and deliver it; every failure becomes a message."""
        user = command.user_key
        started = time.monotonic()
        try:
            answer, answer_id = self._ask(command)
        except Nl2SqlError as e:
            log.warning("slack %s: %s: %s", user, type(e).__name__, e.message)
            self._post(command, blocks.notice_message(_friendly(e)), budget)
            return
        except Exception:
            log.exception("slack %s: unexpected error answering %r", user, command.text)
            self._post(command, blocks.notice_message(
                "Sorry, something went wrong on our side while answering. "
                "It has been logged; please try again later."), budget)
            return
        log.info("slack %s answered in %.1f s (answered=%s, %d rows)", user,
                 time.monotonic() - started, answer.answered, len(answer.rows))
        if not answer.answered:
            # Not worth the channel's attention: tell the asker how to rephrase.
            self._post(command, blocks.notice_message(
                f"{answer.answer}\n\nTry rephrasing, or `{command.command} help` for examples."),
                budget)
            return
        message = blocks.answer_message(answer, user_id=command.user_id,
                                        link=self._link(answer, answer_id),
                                        response_type=self.response_type)
        if self._post(command, message, budget):
            self._upload_chart(command, answer)

    def _ask(self, command: SlashCommand) -> tuple[Answer, str | None]:
        user = command.user_key
        conversation_id = self.conversations.latest_conversation(
            user, self.options.follow_up_s, interface="slack")
        history = (self.conversations.get(conversation_id, user).conversation
                   if conversation_id else None)
        agent = self.runtime.agent(labels={"interface": "slack",
                                           "slack_user": label_value(command.user_id)})
        answer, conversation = agent.ask(command.text, history)
        try:
            _, answer_id = self.conversations.add_turn(
                conversation_id, user, conversation, answer.to_dict(), interface="slack")
        except Nl2SqlError as e:  # the answer still goes out; only the follow-up is lost
            log.warning("slack %s: conversation not saved: %s", user, e.message)
            answer_id = None
        return answer, answer_id

    def _link(self, answer: Answer, answer_id: str | None) -> str | None:
        base = self.settings.public_url.rstrip("/")
        if not base:
            return None
        # The page re-runs the question: an answer stored for a Slack user is not
        # readable by a web visitor, and the page always shows the full result.
        return f"{base}/?q={quote(answer.question)}"

    def _post(self, command: SlashCommand, message: dict[str, Any], budget: Budget) -> bool:
        delivery = self.responder.post(command.response_url, message, budget)
        if not delivery.ok:
            log.error("slack %s: reply not delivered after %d attempts: %s",
                      command.user_key, delivery.attempts, delivery.error)
        return delivery.ok

    def _upload_chart(self, command: SlashCommand, answer: Answer) -> None:
        # An ephemeral answer must stay private: a chart in the channel would not be.
        if self.uploader is None or self.chart is None or self.response_type != "in_channel":
            return
        try:
            png = self.chart(answer)
        except Exception:  # a chart is a bonus; the answer is already out
            log.exception("slack %s: chart rendering failed", command.user_key)
            return
        if png:
            self.uploader.upload(command.channel_id, png, title=answer.question,
                                 comment=None)

    def close(self, wait: bool = True) -> None:
        self.pool.close(wait=wait)


def _friendly(e: Nl2SqlError) -> str:
    if isinstance(e, ModelError):
        return ("Sorry, the language model is not available right now "
                f"({e.message}). Please try again in a minute.")
    return f"Sorry, I could not answer that: {e.message}"
