"""Slack's mrkdwn: escaping and Block Kit's size limits, for every Slack message
(slash command replies and report webhooks alike).

``&``, ``<`` and ``>`` are control characters in mrkdwn (SQL is full of ``<``,
and ``<!channel>`` would notify a whole channel), so everything user- or
model-supplied goes through ``escape``.

>>> escape("a < b && c > d")
'a &lt; b &amp;&amp; c &gt; d'
>>> code_block("SELECT 1 WHERE 2 < 3")
'```SELECT 1 WHERE 2 &lt; 3```'
"""

from __future__ import annotations

from nl2sql.presentation.tables import clip

SECTION_MAX = 3000  # Block Kit's limit on a section's text
FENCE = 8  # "```" twice, and room for a newline on each side


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn reserves."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def code_block(text: str, budget: int = SECTION_MAX) -> str:
    """``text`` escaped in a code block of at most ``budget`` characters; a cut
    block ends at a line boundary with "…" rather than mid-line."""
    body = escape(text)
    if len(body) > budget - FENCE:
        body = body[: budget - FENCE - 2].rsplit("\n", 1)[0] + "\n…"
    return f"```{body}```"


def section(text: str) -> dict[str, str | dict[str, str]]:
    """A section block of mrkdwn ``text`` (already escaped), cut to Slack's limit."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SECTION_MAX)}}
