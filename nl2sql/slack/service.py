"""The slash command, end to end: acknowledge now, answer in the background.

``SlackService.handle`` runs on the web request and must return within Slack's
three seconds, so it only decides (help? rate limited? pool full?) and queues.
``answer`` runs on a pool thread: it asks through the app's shared answer
service (``nl2sql.service``: the same path as the web API: agent, saved
conversation turn, metrics, the log line naming the user), posts Block Kit to
``response_url`` and, with a bot token, uploads the chart image that
``nl2sql.presentation.charts`` decides the result gets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from nl2sql.answer import Answer
from nl2sql.errors import ModelError, Nl2SqlError, RateLimited
from nl2sql.service import MAX_QUESTION_CHARS, Pending, Services
from nl2sql.slack import blocks
from nl2sql.slack.feedback import with_feedback
from nl2sql.slack.responder import Budget, Responder
from nl2sql.slack.upload import ChartUploader
from nl2sql.slack.verify import SlashCommand
from nl2sql.workers import WorkerPool

log = logging.getLogger(__name__)

HELP_WORDS = {"", "help", "?", "-h", "--help"}
INTERFACE = "slack"


#: (columns, rows) -> PNG bytes, or None when the result gets no image
ChartRenderer = Callable[..., bytes | None]  # presentation.charts.chart_png's signature


class SlackService:
    """Sized and timed by the ``NL2SQL_SLACK_*`` settings."""

    def __init__(self, services: Services, *, chart: ChartRenderer | None = None,
                 responder: Responder | None = None) -> None:
        self.services = services
        self.asker = services.asker
        self.settings = settings = services.runtime.settings
        self.chart = chart
        self.pool = WorkerPool(settings.slack_workers, settings.slack_waiting,
                               name="nl2sql-slack")
        self.responder = responder or Responder(backoff=settings.slack_retry_backoff_s,
                                                timeout_s=settings.slack_post_timeout_s)
        token = settings.slack_bot_token
        self.uploader = ChartUploader(token, settings.slack_api_url) if token else None

    @property
    def response_type(self) -> str:
        kind = self.settings.slack_response_type.strip().lower()
        return kind if kind in ("in_channel", "ephemeral") else "in_channel"

    # -- on the request thread ------------------------------------------------------

    def handle(self, command: SlashCommand, request_id: str | None = None) -> dict[str, Any]:
        """The immediate reply to a verified command (Slack shows it to the asker only).

        ``request_id`` (the slash command request's) ties the answer's log line to it."""
        if command.text.lower() in HELP_WORDS:
            return blocks.help_message(command.command, self._examples())
        if len(command.text) > MAX_QUESTION_CHARS:
            return blocks.notice_message(
                f"That question is {len(command.text):,} characters long; "
                f"please keep it under {MAX_QUESTION_CHARS:,}.")
        budget = Budget()  # the 30-minute window starts at the command, not at the answer
        try:
            pending = self._prepare(command, request_id)
        except RateLimited as e:
            log.info("slack %s rate limited: %s", command.user_key, e.message)
            wait = e.details.get("retry_after_s")
            return blocks.notice_message(
                "You have asked a lot of questions recently. "
                + (f"Try again in {wait} s." if wait else "Try again in a minute."))
        except Nl2SqlError as e:
            log.warning("slack %s: %s: %s", command.user_key, type(e).__name__, e.message)
            return blocks.notice_message(_friendly(e))
        if self.pool.submit(lambda: self.answer(command, pending, budget)) is None:
            log.warning("slack %s refused: %d questions in progress", command.user_key,
                        self.pool.busy)
            return blocks.notice_message(
                "I am answering many questions right now. Please try again in a minute.")
        log.info("slack %s in %s asked: %s", command.user_key, command.channel_id,
                 command.text, extra={"fields": {"request_id": request_id,
                                                 "user": command.user_key}})
        return blocks.working_message(command.text)

    def _examples(self) -> list[str]:
        try:
            examples: list[str] = self.services.overview.get()["examples"]
        except Exception:  # the usage line must still reach the asker
            log.exception("slack help: example questions could not be drawn")
            return []
        return examples

    def _prepare(self, command: SlashCommand, request_id: str | None = None) -> Pending:
        # Each Slack user (workspace + user id) is one user: their limit, their
        # conversations. A question soon after their last one follows it up.
        store = self.asker.store
        conversation_id = store.latest_conversation(
            command.user_key, self.settings.slack_follow_up_s, interface=INTERFACE)
        return self.asker.prepare(command.user_key, command.text, conversation_id,
                                  interface=INTERFACE, request_id=request_id)

    # -- on a pool thread -----------------------------------------------------------

    def answer(self, command: SlashCommand, pending: Pending, budget: Budget) -> None:
        """Answer one command and deliver it; every failure becomes a message."""
        user = command.user_key
        try:
            answer = self.asker.answer(pending)
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
        if not answer.answered:
            # Not worth the channel's attention: tell the asker how to rephrase.
            self._post(command, blocks.notice_message(
                f"{answer.answer}\n\nTry rephrasing, or `{command.command} help` for examples."),
                budget)
            return
        try:
            message = blocks.answer_message(answer, user_id=command.user_id,
                                            link=self._link(self._questions(user, answer)),
                                            response_type=self.response_type)
        except Exception:
            # slack_sdk refuses blocks over Slack's limits by raising; the asker
            # must still get the answer, so send its text alone.
            log.exception("slack %s: answer blocks could not be built", user)
            message = blocks.notice_message(answer.answer, response_type=self.response_type)
        if answer.answer_id:
            message = with_feedback(message, answer.answer_id, verifiable=bool(answer.sql))
        if self._post(command, message, budget):
            self._upload_chart(command, answer)

    def _questions(self, user: str, answer: Answer) -> list[str]:
        """The conversation's questions so far, oldest first, ending with this one."""
        try:
            earlier = self.asker.store.answers(answer.conversation_id or "", user)
        except Exception:  # the link is a convenience; the answer must still go out
            log.exception("slack %s: conversation questions could not be read", user)
            earlier = []
        return [a.question for a in earlier] or [answer.question]

    def _link(self, questions: list[str]) -> str | None:
        base = self.settings.public_url.rstrip("/")
        if not base:
            return None
        # The page asks the questions again, in turn: an answer saved for a Slack
        # user is not readable by a web visitor (answers are per user), and a
        # follow-up such as "and by year?" means nothing without the questions
        # before it. The page shows the full result with its chart and CSV export.
        return f"{base}/?" + "&".join(f"q={quote(q)}" for q in questions)

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
            png = self.chart(answer.columns, answer.rows, truncated=answer.truncated,
                             total_rows=answer.total_rows)
        except Exception:  # a chart is a bonus; the answer is already out
            log.exception("slack %s: chart rendering failed", command.user_key)
            return
        if png:
            self.uploader.upload(command.channel_id, png, title=answer.question)

    def close(self, wait: bool = True) -> None:
        """Stop taking commands; with ``wait``, finish the ones already queued."""
        self.pool.close(wait=wait)


def _friendly(e: Nl2SqlError) -> str:
    if isinstance(e, ModelError):
        return ("Sorry, the language model is not available right now "
                f"({e.public_message}). Please try again in a minute.")
    return f"Sorry, I could not answer that: {e.public_message}"
