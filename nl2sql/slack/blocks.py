"""Block Kit messages: the answer, its key numbers, the SQL, and the friendly ones.

Slack's limits shape this module: a section's text is at most 3000 characters,
a message at most 50 blocks, and ``&``, ``<``, ``>`` must be escaped in mrkdwn
(SQL is full of ``<``). Everything user- or model-supplied goes through
``escape``. Each message also carries a plain ``text`` fallback, which Slack
uses for notifications and screen readers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    SectionBlock,
)

from nl2sql.answer import Answer

Message = dict[str, Any]

SECTION_MAX = 3000  # Slack's limit for a section's text
TABLE_ROWS = 10  # "key numbers", not the result: the web page has the rest
CELL_MAX = 32

EXAMPLES = (
    "How many orders were returned last month?",
    "What are the top 5 product categories by revenue in 2024?",
    "Monthly number of orders in 2024",
    "Which countries have the most users?",
)


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn reserves."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})T00:00:00(\.0+)?$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


# Ids, years and codes read wrong with thousands separators ("2,024"); the page's rule.
_UNGROUPED = re.compile(r"(^|_)(id|year|yr|zip|code|postal_code)$", re.IGNORECASE)


def _cell(value: Any, column: str = "") -> str:
    if value is None:
        return "∅"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int) and _UNGROUPED.search(column):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        return f"{value:,.0f}" if value.is_integer() and abs(value) >= 1 else f"{value:,.2f}"
    text = " ".join(str(value).split())
    # As on the web page: a date reads without a midnight time, a time without the "T".
    midnight = _MIDNIGHT.match(text)
    if midnight:
        return midnight.group(1)
    if _TIMESTAMP.match(text):
        text = text.replace("T", " ", 1)
    return _clip(text, CELL_MAX)


def _numeric(values: Sequence[Any]) -> bool:
    present = [v for v in values if v is not None]
    return bool(present) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in present)


def table_text(columns: Sequence[str], rows: Sequence[Sequence[Any]],
               max_rows: int = TABLE_ROWS) -> str:
    """A fixed-width table (numbers right-aligned) for a code block; '' without columns."""
    if not columns:
        return ""
    shown = [list(r) for r in rows[:max_rows]]
    cells = [[_cell(v, c) for v, c in zip(r, columns, strict=False)] for r in shown]
    header = [_clip(c, CELL_MAX) for c in columns]
    widths = [max([len(header[i])] + [len(r[i]) for r in cells]) for i in range(len(columns))]
    right = [_numeric([r[i] for r in shown]) for i in range(len(columns))]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right,
                                                                     strict=True)]
        return "  ".join(parts).rstrip()

    out = [line(header), "  ".join("-" * w for w in widths)] + [line(r) for r in cells]
    return "\n".join(out)


def human_bytes(n: int | None) -> str:
    if n is None:
        return "not reported"
    size = float(n)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{n} B"  # pragma: no cover - loop always returns


def _seconds(seconds: float) -> str:
    """"0.0 s" says nothing: under a second is counted in milliseconds."""
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def _code(text: str, budget: int) -> str:
    # The fence costs 8 characters; a cut table says so rather than ending mid-line.
    body = escape(text)
    if len(body) > budget - 8:
        body = body[: budget - 10].rsplit("\n", 1)[0] + "\n…"
    return f"```{body}```"


def answer_message(answer: Answer, *, user_id: str | None = None, link: str | None = None,
                   response_type: str = "in_channel") -> Message:
    """The full reply: who asked what, the answer, a small table, facts, the SQL, a link."""
    blocks: list[Block] = []
    if user_id:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(
            text=_clip(f"<@{user_id}> asked: {escape(answer.question)}", SECTION_MAX))]))
    blocks.append(SectionBlock(text=MarkdownTextObject(
        text=_clip(escape(answer.answer) or "(no answer text)", SECTION_MAX))))

    table = table_text(answer.columns, answer.rows)
    if table and answer.rows:
        more = len(answer.rows) - TABLE_ROWS
        note = f"\n_{more:,} more rows on the full result page_" if more > 0 else ""
        if answer.truncated:
            note += "\n_the result was cut at the row limit_"
        blocks.append(SectionBlock(text=MarkdownTextObject(
            text=_code(table, SECTION_MAX - len(note)) + note)))

    facts = [f"Bytes processed: {human_bytes(answer.bytes_processed)}",
             "1 step" if len(answer.steps) == 1 else f"{len(answer.steps)} steps",
             _seconds(answer.seconds), f"model {answer.model}"]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=" · ".join(facts))]))

    if answer.sql:
        # Block Kit has no collapsible block; a divider plus small context text keeps
        # the SQL visibly secondary to the answer.
        blocks.append(DividerBlock())
        blocks.append(ContextBlock(elements=[MarkdownTextObject(
            text="*SQL*\n" + _code(answer.sql, SECTION_MAX - 6))]))
    # A link's "&" (between ?q= parameters) is escaped like any other; Slack decodes it.
    link_text = f"<{escape(link)}|Open the full result in nl2sql>" if link else ""
    # A long question percent-encoded into ?q= can outgrow a section; the answer
    # matters more than the link, so the link is left out rather than cut.
    if link_text and len(link_text) <= SECTION_MAX:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=link_text)))
    fallback = _clip(escape(answer.answer or answer.question), SECTION_MAX)
    return {"response_type": response_type, "text": fallback,
            "blocks": [b.to_dict() for b in blocks]}


def working_message(question: str) -> Message:
    """The immediate, ephemeral acknowledgement (Slack wants one within 3 seconds)."""
    return {"response_type": "ephemeral",
            "text": _clip(f"Working on: {escape(question)}", SECTION_MAX)}


def help_message(command: str = "/ask") -> Message:
    """Usage and example questions, for an empty ``/ask`` or ``/ask help``."""
    examples = "\n".join(f"• `{command} {q}`" for q in EXAMPLES)
    text = (f"*Ask the data warehouse a question in plain language.*\n"
            f"Usage: `{command} QUESTION`\n\n*Examples*\n{examples}\n\n"
            "A follow-up within a few minutes continues the same conversation, "
            f"e.g. `{command} and the month before?`")
    return {"response_type": "ephemeral", "text": f"Usage: {command} QUESTION",
            "blocks": [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]}


def notice_message(text: str, *, response_type: str = "ephemeral",
                   replace_original: bool = False) -> Message:
    """A short message: an error, a refusal, a busy signal. ``text`` is escaped, so
    SQL or a question quoted in it cannot turn into a mention; `code` still works."""
    message: Message = {"response_type": response_type, "text": _clip(escape(text), SECTION_MAX)}
    if replace_original:
        message["replace_original"] = True
    return message
