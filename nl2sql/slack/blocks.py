"""Block Kit messages: the answer, its key numbers, the SQL, and the friendly ones.

Slack's limits shape this module: a section's text is at most 3000 characters,
a message at most 50 blocks, and everything user- or model-supplied is escaped
(``nl2sql.presentation.mrkdwn``). Numbers and tables read as on the page
(``nl2sql.presentation``). Each message also carries a plain ``text`` fallback,
which Slack uses for notifications and screen readers.
"""

from __future__ import annotations

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
from nl2sql.presentation.mrkdwn import SECTION_MAX, code_block, escape
from nl2sql.presentation.numbers import format_bytes, format_seconds, plural
from nl2sql.presentation.reading import reading_parts
from nl2sql.presentation.tables import clip, text_table

Message = dict[str, Any]

TABLE_ROWS = 10  # "key numbers", not the result: the web page has the rest
HELP_EXAMPLES = 4


def answer_message(answer: Answer, *, user_id: str | None = None, link: str | None = None,
                   response_type: str = "in_channel") -> Message:
    """The full reply: who asked what, the answer, a small table, facts, the SQL, a link."""
    blocks: list[Block] = []
    if user_id:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(
            text=clip(f"<@{user_id}> asked: {escape(answer.question)}", SECTION_MAX))]))
    blocks.append(SectionBlock(text=MarkdownTextObject(
        text=clip(escape(answer.answer) or "(no answer text)", SECTION_MAX))))
    if answer.interpretation is not None:
        # How the question was read, right under the answer: a misreading shows here.
        reading = [f"*Read as:* {escape(answer.interpretation.summary)}"]
        reading += [f"{label}: {escape(text)}"
                    for label, text in reading_parts(answer.interpretation)]
        blocks.append(ContextBlock(elements=[MarkdownTextObject(
            text=clip("\n".join(reading), SECTION_MAX))]))

    table = text_table(answer.columns, answer.rows, max_rows=TABLE_ROWS)
    if table and answer.rows:
        more = len(answer.rows) - TABLE_ROWS
        note = f"\n_{more:,} more rows on the full result page_" if more > 0 else ""
        if answer.truncated:
            note += "\n_the result was cut at the row limit_"
        blocks.append(SectionBlock(text=MarkdownTextObject(
            text=code_block(table, SECTION_MAX - len(note)) + note)))

    facts = [f"Bytes processed: {format_bytes(answer.bytes_processed)}",
             plural(len(answer.steps), "step"), format_seconds(answer.seconds),
             f"model {answer.model}"]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=" · ".join(facts))]))

    if answer.sql:
        # Block Kit has no collapsible block; a divider plus small context text keeps
        # the SQL visibly secondary to the answer.
        blocks.append(DividerBlock())
        blocks.append(ContextBlock(elements=[MarkdownTextObject(
            text="*SQL*\n" + code_block(answer.sql, SECTION_MAX - 6))]))
    # A link's "&" (between ?q= parameters) is escaped like any other; Slack decodes it.
    link_text = f"<{escape(link)}|Open the full result in nl2sql>" if link else ""
    # A long question percent-encoded into ?q= can outgrow a section; the answer
    # matters more than the link, so the link is left out rather than cut.
    if link_text and len(link_text) <= SECTION_MAX:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=link_text)))
    fallback = clip(escape(answer.answer or answer.question), SECTION_MAX)
    return {"response_type": response_type, "text": fallback,
            "blocks": [b.to_dict() for b in blocks]}


def working_message(question: str) -> Message:
    """The immediate, ephemeral acknowledgement (Slack wants one within 3 seconds)."""
    return {"response_type": "ephemeral",
            "text": clip(f"Working on: {escape(question)}", SECTION_MAX)}


def help_message(command: str = "/ask", examples: Sequence[str] = ()) -> Message:
    """Usage and example questions, for an empty ``/ask`` or ``/ask help``.

    The examples are the page's (``nl2sql.overview``), drawn from the warehouse."""
    listed = "".join(f"\n• `{command} {escape(q)}`" for q in examples[:HELP_EXAMPLES])
    text = (f"*Ask the data warehouse a question in plain language.*\n"
            f"Usage: `{command} QUESTION`\n\n"
            + (f"*Examples*{listed}\n\n" if listed else "") +
            "A follow-up within a few minutes continues the same conversation, "
            f"e.g. `{command} and the month before?`")
    return {"response_type": "ephemeral", "text": f"Usage: {command} QUESTION",
            "blocks": [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]}


def notice_message(text: str, *, response_type: str = "ephemeral",
                   replace_original: bool = False) -> Message:
    """A short message: an error, a refusal, a busy signal. ``text`` is escaped, so
    SQL or a question quoted in it cannot turn into a mention; `code` still works."""
    message: Message = {"response_type": response_type, "text": clip(escape(text), SECTION_MAX)}
    if replace_original:
        message["replace_original"] = True
    return message
