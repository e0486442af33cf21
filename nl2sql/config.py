"""Settings: one declared table, read from the environment only when asked.

Nothing reads the environment at import time; ``Settings.from_env()`` does it
once, and every component receives the resulting ``Settings`` explicitly.
A test checks that every setting below is documented in the README.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from nl2sql.errors import ConfigError

DEFAULT_DEMO_PATH = "data/demo.duckdb"
DEFAULT_GEMINI_MODEL = "gemini-2.5-flash"


@dataclass(frozen=True)
class Setting:
    name: str  # attribute on Settings
    env: str  # environment variable
    default: Any
    parse: Callable[[str], Any]
    help: str


def _csv(value: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in value.split(",") if p.strip())


def _positive_int(value: str) -> int:
    n = int(value)
    if n <= 0:
        raise ValueError("must be a positive whole number")
    return n


def _positive_float(value: str) -> float:
    n = float(value)
    if n <= 0:
        raise ValueError("must be a positive number")
    return n


def _thinking(value: str) -> str:
    value = value.strip().lower()
    levels = ("minimal", "low", "medium", "high")
    if value in levels or value.lstrip("-").isdigit():
        return value
    raise ValueError(f"must be one of {', '.join(levels)} or a token budget (a whole number)")


SETTINGS: tuple[Setting, ...] = (
    Setting("warehouse", "NL2SQL_WAREHOUSE", f"duckdb:///{DEFAULT_DEMO_PATH}", str,
            "Warehouse URL: duckdb:///path/file.duckdb or bigquery://PROJECT?location=US."),
    Setting("model", "NL2SQL_MODEL", "", str,
            "'offline' or a Gemini model name. Empty: a Gemini model when Gemini "
            "credentials are set, else 'offline'."),
    Setting("allowed_datasets", "NL2SQL_ALLOWED_DATASETS", (), _csv,
            "Comma-separated datasets the service may read (on BigQuery, another project's "
            "as project.dataset); empty means all the warehouse shows."),
    Setting("max_rows", "NL2SQL_MAX_ROWS", 1000, _positive_int,
            "Most rows a query returns to the model and the user; more sets truncated=true."),
    Setting("max_bytes_billed", "NL2SQL_MAX_BYTES_BILLED", 10 * 1024**3, _positive_int,
            "BigQuery: largest bytes estimate a query may have, and maximum_bytes_billed per job."),
    Setting("query_timeout_s", "NL2SQL_QUERY_TIMEOUT_S", 30.0, _positive_float,
            "Seconds a query may run before it is cancelled."),
    Setting("max_steps", "NL2SQL_MAX_STEPS", 12, _positive_int,
            "Most model turns per question before the agent stops exploring."),
    Setting("question_deadline_s", "NL2SQL_QUESTION_DEADLINE_S", 180.0, _positive_float,
            "Seconds one question may take in all: model calls, their retries (a 429's "
            "suggested wait included) and queries; past it the question fails clearly."),
    Setting("gemini_timeout_s", "NL2SQL_GEMINI_TIMEOUT_S", 60.0, _positive_float,
            "Seconds one Gemini call may take before it is retried."),
    Setting("gemini_thinking", "NL2SQL_GEMINI_THINKING", "", _thinking,
            "Gemini thinking: a level (Gemini 3: minimal, low, medium, high) or a token "
            "budget (Gemini 2.5: a whole number, 0 off, -1 dynamic); empty: the model's default."),
    Setting("state_db", "NL2SQL_STATE_DB", "data/state.sqlite3", str,
            "SQLite file for conversations and report runs."),
    Setting("conversation_ttl_s", "NL2SQL_CONVERSATION_TTL_S", 7 * 24 * 3600.0, _positive_float,
            "Seconds a conversation is kept after its last question."),
    Setting("export_max_rows", "NL2SQL_EXPORT_MAX_ROWS", 100_000, _positive_int,
            "Most rows a CSV export returns."),
    Setting("rate_limit", "NL2SQL_RATE_LIMIT", "30/minute", str,
            "Questions per user per period, e.g. '30/minute' or '500/hour'."),
    Setting("api_tokens", "NL2SQL_API_TOKENS", (), _csv,
            "Comma-separated bearer tokens required on the API; empty means no auth."),
    Setting("iap_audience", "NL2SQL_IAP_AUDIENCE", "", str,
            "Behind Google IAP: the expected audience of IAP's signed JWT "
            "(/projects/NUMBER/global/backendServices/ID); empty skips the audience check."),
    Setting("public_url", "NL2SQL_PUBLIC_URL", "", str,
            "Public base URL of the web app, used in links from Slack and reports."),
    Setting("slack_response_type", "NL2SQL_SLACK_RESPONSE_TYPE", "in_channel", str,
            "Slack answers: 'in_channel' or 'ephemeral'."),
    Setting("reports", "NL2SQL_REPORTS", "reports.yaml", str,
            "Path of the report definitions file."),
    Setting("smtp_url", "NL2SQL_SMTP_URL", "", str,
            "SMTP server for email reports: smtp://user:pass@host:port or smtps://..."),
    Setting("smtp_user", "NL2SQL_SMTP_USER", "", str,
            "SMTP user when it is not in NL2SQL_SMTP_URL."),
    Setting("smtp_password", "NL2SQL_SMTP_PASSWORD", "", str,
            "SMTP password when it is not in NL2SQL_SMTP_URL (a secret: never logged)."),
    Setting("smtp_from", "NL2SQL_SMTP_FROM", "nl2sql@localhost", str,
            "From address of email reports."),
    Setting("bigquery_endpoint", "NL2SQL_BIGQUERY_ENDPOINT", "", str,
            "BigQuery API endpoint override (an emulator); uses anonymous credentials."),
)


@dataclass(frozen=True)
class Settings:
    warehouse: str = f"duckdb:///{DEFAULT_DEMO_PATH}"
    model: str = ""
    allowed_datasets: tuple[str, ...] = ()
    max_rows: int = 1000
    max_bytes_billed: int = 10 * 1024**3
    query_timeout_s: float = 30.0
    max_steps: int = 12
    question_deadline_s: float = 180.0
    gemini_timeout_s: float = 60.0
    gemini_thinking: str = ""
    state_db: str = "data/state.sqlite3"
    conversation_ttl_s: float = 7 * 24 * 3600.0
    export_max_rows: int = 100_000
    rate_limit: str = "30/minute"
    api_tokens: tuple[str, ...] = field(default=(), repr=False)
    iap_audience: str = ""
    public_url: str = ""
    slack_response_type: str = "in_channel"
    reports: str = "reports.yaml"
    smtp_url: str = field(default="", repr=False)  # may hold a password
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_from: str = "nl2sql@localhost"
    bigquery_endpoint: str = ""
    # Secrets read from their conventional variables (not NL2SQL_*).
    slack_signing_secret: str = field(default="", repr=False)
    slack_bot_token: str = field(default="", repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from ``env`` (default ``os.environ``), then apply overrides."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for s in SETTINGS:
            raw = env.get(s.env)
            if raw is None or raw == "":
                continue
            try:
                values[s.name] = s.parse(raw)
            except ValueError as e:
                raise ConfigError(f"{s.env}={raw!r} is not valid: {e}") from None
        values["slack_signing_secret"] = env.get("SLACK_SIGNING_SECRET", "")
        values["slack_bot_token"] = env.get("SLACK_BOT_TOKEN", "")
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def resolved_model(self, env: Mapping[str, str] | None = None) -> str:
        """The model to use: explicit, else Gemini when credentials exist, else offline."""
        if self.model:
            return self.model
        env = os.environ if env is None else env
        has_gemini = any(env.get(k) for k in ("GEMINI_API_KEY", "GOOGLE_API_KEY"))
        vertex = env.get("GOOGLE_GENAI_USE_VERTEXAI", "").lower() in ("1", "true", "yes")
        return DEFAULT_GEMINI_MODEL if (has_gemini or vertex) else "offline"


assert {s.name for s in SETTINGS} <= {f.name for f in fields(Settings)}
