"""Settings: parsing from the environment, defaults, and documentation."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from nl2sql.config import DEFAULT_GEMINI_MODEL, SETTINGS, Settings
from nl2sql.errors import ConfigError

README = Path(__file__).resolve().parent.parent / "README.md"


def test_defaults_without_environment() -> None:
    s = Settings.from_env({})
    assert s.warehouse == "duckdb:///data/demo.duckdb"
    assert s.allowed_datasets == ()
    assert s.resolved_model({}) == "offline"


def test_environment_is_parsed() -> None:
    s = Settings.from_env({"NL2SQL_ALLOWED_DATASETS": " a, b ,", "NL2SQL_MAX_ROWS": "50",
                           "NL2SQL_QUERY_TIMEOUT_S": "2.5"})
    assert s.allowed_datasets == ("a", "b")
    assert s.max_rows == 50 and s.query_timeout_s == 2.5


def test_overrides_win_over_environment() -> None:
    s = Settings.from_env({"NL2SQL_MODEL": "offline"}, model="gemini-2.5-pro")
    assert s.model == "gemini-2.5-pro"


@pytest.mark.parametrize("env", [{"NL2SQL_MAX_ROWS": "many"}, {"NL2SQL_MAX_ROWS": "0"},
                                 {"NL2SQL_QUERY_TIMEOUT_S": "-1"}])
def test_bad_values_name_the_variable(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError, match=next(iter(env))):
        Settings.from_env(env)


@pytest.mark.parametrize("env", [{"GEMINI_API_KEY": "k"}, {"GOOGLE_API_KEY": "k"},
                                 {"GOOGLE_GENAI_USE_VERTEXAI": "true"}])
def test_gemini_is_default_when_credentials_exist(env: dict[str, str]) -> None:
    assert Settings.from_env(env).resolved_model(env) == DEFAULT_GEMINI_MODEL


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.env)
def test_every_setting_is_documented_in_readme(setting) -> None:  # type: ignore[no-untyped-def]
    assert f"`{setting.env}`" in README.read_text(), f"{setting.env} missing from README.md"


def test_every_field_but_the_slack_secrets_is_a_declared_setting() -> None:
    # The secrets keep Slack's own variable names (docs/slack.md); everything
    # else is read from its NL2SQL_* variable and documented in the README.
    undeclared = {f.name for f in fields(Settings)} - {s.name for s in SETTINGS}
    assert undeclared == {"slack_signing_secret", "slack_bot_token"}


def test_secrets_stay_out_of_repr() -> None:
    shown = repr(Settings(api_tokens=("t0ken",), smtp_password="pw", slack_bot_token="xoxb"))
    assert "t0ken" not in shown and "pw" not in shown and "xoxb" not in shown


def test_lists_of_seconds_are_parsed() -> None:
    s = Settings.from_env({"NL2SQL_SLACK_RETRY_BACKOFF_S": "0.5, 1,2", "NL2SQL_SLACK_WAITING": "0"})
    assert s.slack_retry_backoff_s == (0.5, 1.0, 2.0) and s.slack_waiting == 0
    with pytest.raises(ConfigError, match="NL2SQL_SLACK_RETRY_BACKOFF_S"):
        Settings.from_env({"NL2SQL_SLACK_RETRY_BACKOFF_S": "1,-2"})


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.env)
def test_readme_row_shows_the_declared_default_and_help(setting) -> None:  # type: ignore[no-untyped-def]
    rows = [line for line in README.read_text().splitlines()
            if line.startswith(f"| `{setting.env}` |")]
    assert len(rows) == 1, f"{setting.env}: one row in the README's configuration table"
    _, default, help_text = (cell.strip() for cell in rows[0].strip().strip("|").split("|"))
    shown = default.strip("`").split(" (")[0]  # "604800 (7 days)" -> "604800"
    value = setting.default
    if value in ("", ()):
        assert default.strip("`") == "(empty)", setting.env
    elif isinstance(value, int | float):
        assert float(shown) == value, setting.env
    elif isinstance(value, tuple):
        assert shown == ",".join(map(str, value)), setting.env
    else:
        assert shown == str(value), setting.env
    assert help_text == setting.help
