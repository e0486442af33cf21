"""Chart uploads through slack_sdk's files_upload_v2 against a local Slack Web API."""

from __future__ import annotations

import json
import urllib.parse

from nl2sql.slack.upload import ChartUploader
from tests.slack.peers import SlackApi, running

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def form(body: bytes) -> dict[str, str]:
    return {k: v[-1] for k, v in urllib.parse.parse_qs(body.decode()).items()}


def test_upload_goes_through_the_three_steps() -> None:
    with running(SlackApi()) as api:
        uploader = ChartUploader("xoxb-test", base_url=api.base + "/api/")
        result = uploader.upload("C0DATA", PNG_MAGIC + b"rest", title="Orders by month")
    assert result.ok and result.file_id == "F0CHART"
    get_url, upload, complete = api.received
    assert get_url.path == "/api/files.getUploadURLExternal"
    assert get_url.headers["Authorization"] == "Bearer xoxb-test"
    assert form(get_url.body)["filename"] == "chart.png"
    assert form(get_url.body)["length"] == str(len(PNG_MAGIC) + 4)
    assert upload.path == "/upload/F0CHART" and PNG_MAGIC + b"rest" in upload.body
    assert complete.path == "/api/files.completeUploadExternal"
    fields = form(complete.body)
    assert fields["channel_id"] == "C0DATA"
    assert json.loads(fields["files"]) == [{"id": "F0CHART", "title": "Orders by month"}]


class NotInChannel(SlackApi):
    def respond(self, path: str, body: bytes) -> tuple[int, str, bytes]:
        if path.endswith("/files.completeUploadExternal"):
            return 200, "application/json", b'{"ok": false, "error": "not_in_channel"}'
        return super().respond(path, body)


def test_slack_errors_are_reported_not_raised() -> None:
    with running(NotInChannel()) as api:
        result = ChartUploader("xoxb-test", base_url=api.base + "/api/").upload(
            "C0PRIVATE", PNG_MAGIC, title="t")
    assert not result.ok and result.error == "not_in_channel"
