"""Chart images uploaded to the channel with slack_sdk's ``files_upload_v2``.

Needs a bot token (``SLACK_BOT_TOKEN``, scope ``files:write``) and the bot in
the channel. ``base_url`` points the Web API client elsewhere (tests use a local
server speaking Slack's wire format). An upload failure never hides the
answer: it is logged and the text reply stands on its own.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

log = logging.getLogger(__name__)


#: Slack errors worth a specific hint in the log (the rest are logged verbatim).
_HINTS = {
    "not_in_channel": "invite the app to the channel (/invite @app) to get charts there",
    "channel_not_found": "the bot cannot see this channel (private channel or DM?)",
    "missing_scope": "add the files:write scope to the Slack app and reinstall it",
    "invalid_auth": "SLACK_BOT_TOKEN is not valid",
}


@dataclass
class Upload:
    ok: bool
    file_id: str | None = None
    error: str | None = None


class ChartUploader:
    """Uploads PNGs to a channel; one ``WebClient`` shared by all threads."""

    def __init__(self, token: str, base_url: str, timeout_s: int = 30) -> None:
        self.client = WebClient(token=token, base_url=base_url, timeout=timeout_s)
        # Slack's tier limits answer 429 with Retry-After; wait and try once more.
        self.client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))

    def upload(self, channel_id: str, png: bytes, *, title: str,
               comment: str | None = None, filename: str = "chart.png") -> Upload:
        """Upload ``png`` to ``channel_id``; never raises for Slack-side failures."""
        try:
            response = self.client.files_upload_v2(
                channel=channel_id, content=png, filename=filename, title=title[:250],
                alt_txt=title[:1000], initial_comment=comment)
        except SlackApiError as e:
            code = str(e.response.get("error", "unknown_error"))
            log.warning("chart upload to %s failed: %s%s", channel_id, code,
                        f" ({_HINTS[code]})" if code in _HINTS else "")
            return Upload(ok=False, error=code)
        except (SlackClientError, OSError) as e:
            log.warning("chart upload to %s failed: %s: %s", channel_id, type(e).__name__, e)
            return Upload(ok=False, error=f"{type(e).__name__}: {e}")
        file = response.get("file") or {}
        return Upload(ok=True, file_id=file.get("id") if isinstance(file, dict) else None)
