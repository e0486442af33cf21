"""docs/slack.md and the manifest stay true to the endpoint and the settings."""

from __future__ import annotations

from pathlib import Path

import yaml

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_manifest_declares_the_command_and_scopes() -> None:
    manifest = yaml.safe_load((DOCS / "slack-manifest.yaml").read_text())
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/ask"
    assert command["url"].endswith("/slack/commands")
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {"commands", "files:write"}
    assert manifest["settings"]["socket_mode_enabled"] is False  # Slack calls our URL
    assert manifest["settings"]["interactivity"]["request_url"].endswith("/slack/interactions")


def test_guide_names_the_endpoint_and_every_slack_setting() -> None:
    guide = (DOCS / "slack.md").read_text()
    for name in ("POST /slack/commands", "POST /slack/interactions", "slack-manifest.yaml",
                 "SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "NL2SQL_SLACK_RESPONSE_TYPE",
                 "NL2SQL_PUBLIC_URL", "ssl_check=1"):
        assert name in guide, name
