"""One small exception tree. Every error a user can see is an ``Nl2SqlError``.

Each class carries an HTTP-ish ``status`` so one handler (web, Slack, CLI) can
turn any of them into a clear sentence without knowing where it came from.
"""

from __future__ import annotations

import re
from typing import Any

# An absolute POSIX path with at least one directory: not one inside a word, a
# URL (``http://host/a/b``) or a relative path. The lookbehind keeps SQL such as
# ``a/b/c`` alone.
_PART = r"""[^\s'"`/:,;()<>\[\]]"""
_ABSOLUTE_PATH = re.compile(rf"(?<![\w.:/~\\-])/(?:{_PART}+/)+({_PART}*)")


def without_paths(text: str) -> str:
    """``text`` with absolute file paths cut to their last part: where files live on
    the server is not the user's business, and a file's name still says what failed.

    >>> without_paths("cannot open DuckDB file '/srv/app/data/demo.duckdb': locked")
    "cannot open DuckDB file 'demo.duckdb': locked"
    >>> without_paths("see https://example.com/a/b and x/y/z")
    'see https://example.com/a/b and x/y/z'
    """
    return _ABSOLUTE_PATH.sub(lambda m: m.group(1) or "(a directory)", text)


class Nl2SqlError(Exception):
    """Base of every error we raise on purpose."""

    status = 500

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    @property
    def public_message(self) -> str:
        """The message as users see it (web, Slack, the model): no server file paths."""
        return without_paths(self.message)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": False, "error": self.public_message, "status": self.status}


class ConfigError(Nl2SqlError):
    """A setting is missing or malformed."""

    status = 500


class BadRequest(Nl2SqlError):
    """The caller sent something we cannot act on."""

    status = 400


class NotFound(Nl2SqlError):
    """A dataset, table, conversation or report does not exist (or is not allowed)."""

    status = 404


class UnsafeSQL(Nl2SqlError):
    """The safety gate refused a statement.

    ``check`` names the gate check that refused it, ``construct`` the offending
    piece of SQL and ``position`` its character offset where sqlglot knows it.
    """

    status = 400

    def __init__(
        self,
        message: str,
        *,
        check: str,
        construct: str | None = None,
        position: int | None = None,
    ) -> None:
        super().__init__(message, check=check, construct=construct, position=position)
        self.check = check
        self.construct = construct
        self.position = position


class WarehouseError(Nl2SqlError):
    """The warehouse is unavailable or misconfigured."""

    status = 503


class QueryError(WarehouseError):
    """A query the gate accepted failed in the warehouse (bad column, type error...)."""

    status = 400


class QueryTimeout(QueryError):
    """A query ran past ``NL2SQL_QUERY_TIMEOUT_S`` and was cancelled."""

    status = 504


class ModelError(Nl2SqlError):
    """The language model failed or answered something unusable."""

    status = 503


class RateLimited(Nl2SqlError):
    status = 429


class DeadlineExceeded(Nl2SqlError):
    """A question ran past ``NL2SQL_QUESTION_DEADLINE_S`` (model calls, retries and
    queries together)."""

    status = 504


class Busy(Nl2SqlError):
    """The service is at its limit of concurrent work of this kind: try again shortly."""

    status = 503
