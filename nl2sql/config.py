"""Settings: declared once, read from the environment only when asked.

Each setting is a field of ``Settings`` made with ``setting(env, default, help,
parse)``; ``SETTINGS`` (the table the README documents and ``from_env`` reads)
is derived from those fields, so a default is written in one place. Nothing
reads the environment at import time; ``Settings.from_env()`` does it once, and
every component receives the resulting ``Settings`` explicitly. A test checks
that every setting is documented in the README.
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


def _non_negative_int(value: str) -> int:
    n = int(value)
    if n < 0:
        raise ValueError("must be a whole number, 0 or more")
    return n


def _seconds_list(value: str) -> tuple[float, ...]:
    waits = tuple(float(p) for p in _csv(value))
    if any(w < 0 for w in waits):
        raise ValueError("must be a comma-separated list of seconds, 0 or more")
    return waits


def _directory(value: str) -> str:
    # A mistyped path would otherwise fall back to the packaged files in silence,
    # and the team would wonder why its definitions are not applied.
    if not os.path.isdir(value):
        raise ValueError("is not a directory")
    return value


def _thinking(value: str) -> str:
    value = value.strip().lower()
    levels = ("minimal", "low", "medium", "high")
    if value in levels or value.lstrip("-").isdigit():
        return value
    raise ValueError(f"must be one of {', '.join(levels)} or a token budget (a whole number)")


def setting(env: str, default: Any, help: str, parse: Callable[[str], Any] = str, *,
            secret: bool = False) -> Any:
    """A field of ``Settings`` that is also a declared setting: its variable, its
    one default, how the variable's text is parsed, and its README help."""
    return field(default=default, repr=not secret,
                 metadata={"env": env, "parse": parse, "help": help})


@dataclass(frozen=True)
class Settings:
    """Every setting, declared once: the field's default is the setting's default."""

    warehouse: str = setting(
        "NL2SQL_WAREHOUSE", f"duckdb:///{DEFAULT_DEMO_PATH}",
        "Warehouse URL: duckdb:///path/file.duckdb or bigquery://PROJECT?location=US.")
    model: str = setting(
        "NL2SQL_MODEL", "",
        "'offline' or a Gemini model name. Empty: a Gemini model when Gemini "
        "credentials are set, else 'offline'.")
    allowed_datasets: tuple[str, ...] = setting(
        "NL2SQL_ALLOWED_DATASETS", (),
        "Comma-separated datasets the service may read (on BigQuery, another project's "
        "as project.dataset); empty means all the warehouse shows.", _csv)
    max_rows: int = setting(
        "NL2SQL_MAX_ROWS", 1000,
        "Most rows a query returns to the model and the user; more sets truncated=true.",
        _positive_int)
    max_bytes_billed: int = setting(
        "NL2SQL_MAX_BYTES_BILLED", 10 * 1024**3,
        "BigQuery: largest bytes estimate a query may have, and maximum_bytes_billed per job.",
        _positive_int)
    query_timeout_s: float = setting(
        "NL2SQL_QUERY_TIMEOUT_S", 30.0, "Seconds a query may run before it is cancelled.",
        _positive_float)
    max_steps: int = setting(
        "NL2SQL_MAX_STEPS", 12,
        "Most model turns per question before the agent stops exploring.", _positive_int)
    question_deadline_s: float = setting(
        "NL2SQL_QUESTION_DEADLINE_S", 180.0,
        "Seconds one question may take in all: model calls, their retries (a 429's "
        "suggested wait included) and queries; past it the question fails clearly.",
        _positive_float)
    gemini_timeout_s: float = setting(
        "NL2SQL_GEMINI_TIMEOUT_S", 60.0,
        "Seconds one Gemini call may take before it is retried.", _positive_float)
    gemini_thinking: str = setting(
        "NL2SQL_GEMINI_THINKING", "",
        "Gemini thinking: a level (Gemini 3: minimal, low, medium, high) or a token "
        "budget (Gemini 2.5: a whole number, 0 off, -1 dynamic); empty: the model's default.",
        _thinking)
    max_calls_per_turn: int = setting(
        "NL2SQL_MAX_CALLS_PER_TURN", 16,
        "Most function calls the agent runs from one model turn; the rest get an error.",
        _positive_int)
    max_queries_per_question: int = setting(
        "NL2SQL_MAX_QUERIES_PER_QUESTION", 12,
        "Most sql_query calls the agent runs for one question; the rest get an error.",
        _positive_int)
    max_result_bytes: int = setting(
        "NL2SQL_MAX_RESULT_BYTES", 256 * 1024,
        "Most bytes of rows (as JSON) a query returns to the model and the user; "
        "more rows are cut and truncated_reason says why.", _positive_int)
    max_cell_bytes: int = setting(
        "NL2SQL_MAX_CELL_BYTES", 2048,
        "Longest text value (bytes) a query returns in one cell; longer values are cut.",
        _positive_int)
    duckdb_memory_limit: str = setting(
        "NL2SQL_DUCKDB_MEMORY_LIMIT", "1GB",
        "DuckDB: memory one warehouse (one service worker) may use, e.g. '1GB' or '512MB'; "
        "also the most its queries may spill to temporary files on disk.")
    duckdb_threads: int = setting(
        "NL2SQL_DUCKDB_THREADS", 2,
        "DuckDB: threads one warehouse (one service worker) may use for queries.",
        _positive_int)
    state_db: str = setting(
        "NL2SQL_STATE_DB", "data/state.sqlite3",
        "SQLite file for the service's state when NL2SQL_STATE_URL is empty; report "
        "result files are kept in a folder beside it.")
    state_url: str = setting(
        "NL2SQL_STATE_URL", "",
        "Where state lives (conversations, answers, rate limits, feedback, verified "
        "queries, report runs): 'sqlite:///path/file.sqlite3' or "
        "'postgresql://user:pass@host:5432/db' when several instances serve the same "
        "users. Empty: sqlite:/// on NL2SQL_STATE_DB.")
    conversation_ttl_s: float = setting(
        "NL2SQL_CONVERSATION_TTL_S", 7 * 24 * 3600.0,
        "Seconds a conversation is kept after its last question.", _positive_float)
    export_max_rows: int = setting(
        "NL2SQL_EXPORT_MAX_ROWS", 100_000, "Most rows a CSV export returns.", _positive_int)
    rate_limit: str = setting(
        "NL2SQL_RATE_LIMIT", "30/minute",
        "Questions and CSV exports per user per period, e.g. '30/minute' or '500/hour'.")
    trusted_proxies: str = setting(
        "NL2SQL_TRUSTED_PROXIES", "",
        "Reverse proxies whose X-Forwarded-For is believed: a count of proxies in front "
        "(e.g. 1) or comma-separated addresses/CIDRs; empty ignores the header. Users "
        "without a token or identity are rate-limited per client address.")
    export_concurrency: int = setting(
        "NL2SQL_EXPORT_CONCURRENCY", 2,
        "Most CSV exports running at once across the service; more are answered 503 "
        "with Retry-After.", _positive_int)
    api_tokens: tuple[str, ...] = setting(
        "NL2SQL_API_TOKENS", (),
        "Comma-separated bearer tokens required on the API and on `nl2sql mcp --http`; "
        "empty means no auth.", _csv, secret=True)
    mcp_allowed_origins: tuple[str, ...] = setting(
        "NL2SQL_MCP_ALLOWED_ORIGINS", (),
        "`nl2sql mcp --http`: comma-separated browser origins (scheme://host:port; ':*' for "
        "any port) allowed besides the server's own; a request from any other Origin is "
        "refused (403). Requests without an Origin (non-browser clients) pass.", _csv)
    mcp_allowed_hosts: tuple[str, ...] = setting(
        "NL2SQL_MCP_ALLOWED_HOSTS", (),
        "`nl2sql mcp --http`: comma-separated Host header values accepted besides loopback "
        "names, the bound address and NL2SQL_PUBLIC_URL's host (DNS-rebinding protection; "
        "others get 421).", _csv)
    iap_audience: str = setting(
        "NL2SQL_IAP_AUDIENCE", "",
        "Behind Google IAP: the expected audience of IAP's signed JWT "
        "(/projects/NUMBER/global/backendServices/ID); empty skips the audience check.")
    iap_certs_url: str = setting(
        "NL2SQL_IAP_CERTS_URL", "https://www.gstatic.com/iap/verify/public_key",
        "Where IAP's public keys are fetched from (a JSON object of key id to PEM).")
    public_url: str = setting(
        "NL2SQL_PUBLIC_URL", "",
        "Public base URL of the web app, used in links from Slack and reports.")
    stream_workers: int = setting(
        "NL2SQL_STREAM_WORKERS", 8,
        "Streamed questions (the page) answered at once per process.", _positive_int)
    stream_waiting: int = setting(
        "NL2SQL_STREAM_WAITING", 8,
        "Streamed questions that may wait for a worker; past that a stream is refused "
        "with 503 and Retry-After.", _non_negative_int)
    slack_response_type: str = setting(
        "NL2SQL_SLACK_RESPONSE_TYPE", "in_channel",
        "Slack answers: 'in_channel' or 'ephemeral'.")
    slack_workers: int = setting(
        "NL2SQL_SLACK_WORKERS", 4, "Slash commands answered at once per process.",
        _positive_int)
    slack_waiting: int = setting(
        "NL2SQL_SLACK_WAITING", 16,
        "Slash commands that may wait for a worker; past that the asker is told to try "
        "again.", _non_negative_int)
    slack_retry_backoff_s: tuple[float, ...] = setting(
        "NL2SQL_SLACK_RETRY_BACKOFF_S", (1.0, 2.0, 4.0, 8.0),
        "Seconds between attempts to post an answer to Slack's response_url "
        "(comma-separated; one retry per entry).", _seconds_list)
    slack_post_timeout_s: int = setting(
        "NL2SQL_SLACK_POST_TIMEOUT_S", 10, "Seconds one post to Slack may take.",
        _positive_int)
    slack_api_url: str = setting(
        "NL2SQL_SLACK_API_URL", "https://slack.com/api/",
        "Slack Web API base URL, for chart uploads.")
    slack_follow_up_s: float = setting(
        "NL2SQL_SLACK_FOLLOW_UP_S", 300.0,
        "A Slack question this many seconds after the asker's last one continues "
        "that conversation.", _positive_float)
    datasets_dir: str = setting(
        "NL2SQL_DATASETS_DIR", "",
        "A directory of the team's own dataset files: its <dataset>.md (context) and "
        "<dataset>.yaml (semantic definitions) take precedence over the packaged ones of "
        "the same name; datasets it has no file for keep the packaged files.", _directory)
    reports: str = setting(
        "NL2SQL_REPORTS", "reports.yaml", "Path of the report definitions file.")
    smtp_url: str = setting(
        "NL2SQL_SMTP_URL", "",
        "SMTP server for email reports: smtp://user:pass@host:port or smtps://...",
        secret=True)  # may hold a password
    smtp_user: str = setting(
        "NL2SQL_SMTP_USER", "", "SMTP user when it is not in NL2SQL_SMTP_URL.")
    smtp_password: str = setting(
        "NL2SQL_SMTP_PASSWORD", "",
        "SMTP password when it is not in NL2SQL_SMTP_URL (a secret: never logged).",
        secret=True)
    smtp_from: str = setting(
        "NL2SQL_SMTP_FROM", "nl2sql@localhost", "From address of email reports.")
    bigquery_endpoint: str = setting(
        "NL2SQL_BIGQUERY_ENDPOINT", "",
        "BigQuery API endpoint override (an emulator); uses anonymous credentials.")
    # Secrets read from their conventional variables (not NL2SQL_*; see docs/slack.md).
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

    def resolved_state_url(self) -> str:
        """NL2SQL_STATE_URL, or the SQLite URL of NL2SQL_STATE_DB when it is empty."""
        return self.state_url.strip() or f"sqlite:///{self.state_db}"

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


#: The declared settings (README, ``from_env``), derived from the fields above.
SETTINGS: tuple[Setting, ...] = tuple(
    Setting(f.name, f.metadata["env"], f.default, f.metadata["parse"], f.metadata["help"])
    for f in fields(Settings) if "env" in f.metadata)
