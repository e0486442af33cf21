"""Slack incoming webhook: the result as Block Kit, through slack_sdk's WebhookClient.

Incoming webhooks cannot upload files, so the message carries the answer, a
monospace table of the first rows and the SQL; the CSV and chart go by email
or file destinations.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.webhook import WebhookClient

from nl2sql.presentation.mrkdwn import code_block, escape, section
from nl2sql.reports.delivery.base import DeliveryContext, DeliveryError
from nl2sql.reports.result import ReportResult

SLACK_ROWS = 10
HEADER_LIMIT = 150
TIMEOUT_S = 15

# slack_sdk logs the URL (the secret) at DEBUG and its path in its errors; the
# runner logs every failure itself, redacted, so the client gets a logger that
# writes nowhere. It is kept outside the logging tree: no logging
# configuration can reattach it to a handler.
_sdk_log = logging.Logger("nl2sql.reports.slack_sdk")
_sdk_log.addHandler(logging.NullHandler())


def blocks(result: ReportResult) -> tuple[str, list[dict[str, Any]]]:
    """The fallback text and the Block Kit blocks for ``result``."""
    title = f"{result.report}: {result.question}"
    if not result.ok:
        title = f"Report failed: {title}"
    out: list[dict[str, Any]] = [
        {"type": "header",
         "text": {"type": "plain_text", "text": title[:HEADER_LIMIT], "emoji": False}},
    ]
    if result.ok:
        fallback = f"{result.report}: {result.answer}"
        out.append(section(escape(result.answer) or "_(no answer text)_"))
        if result.columns:
            out.append(section(code_block(result.text_table(limit=SLACK_ROWS))))
    else:
        fallback = f"Report {result.report} failed: {result.error}"
        out.append(section(f":warning: *The run failed.* {escape(result.error or '')}"))
    if result.sql:
        out.append(section("*SQL*\n" + code_block(result.sql)))
    context = [f"slot {result.slot}", result.summary() if result.ok else "no data delivered"]
    if result.model:
        context.append(f"model {result.model}")
    out.append({"type": "context",
                "elements": [{"type": "mrkdwn", "text": escape(" · ".join(context))}]})
    return fallback, out


def _redact(text: str, url: str) -> str:
    """``text`` without the URL or its path: http.client quotes only the path
    of a URL it refuses, and the path is where a webhook's secret is."""
    scheme = url.find("://")
    slash = url.find("/", scheme + 3 if scheme != -1 else 0)
    path = url[slash:] if slash > 0 else ""
    pieces = {url, url.strip(), path, path.strip()} - {"", "/"}
    for piece in sorted(pieces, key=len, reverse=True):
        text = text.replace(piece, "<webhook url>")
    return text


def send(url: str, result: ReportResult, context: DeliveryContext) -> None:
    text, body = blocks(result)
    # Our runner owns retries and backoff; slack_sdk's own handlers would
    # multiply the attempts behind our back.
    client = WebhookClient(url, timeout=TIMEOUT_S, retry_handlers=[], logger=_sdk_log)
    try:
        response = client.send(text=text, blocks=body, unfurl_links=False, unfurl_media=False)
    except Exception as e:  # noqa: BLE001 - urllib raises several types; all mean "not sent"
        # The URL is a secret: keep it out of the error that history stores.
        reason = _redact(str(e), url)
        raise DeliveryError(f"Slack webhook unreachable: {type(e).__name__}: {reason}") from None
    if response.status_code != 200:
        detail = (response.body or "").strip()[:200]
        raise DeliveryError(f"Slack webhook answered HTTP {response.status_code}: {detail}")
