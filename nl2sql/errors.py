"""One small exception tree. Every error a user can see is an ``Nl2SqlError``.

Each class carries an HTTP-ish ``status`` so one handler (web, Slack, CLI) can
turn any of them into a clear sentence without knowing where it came from.
"""

from __future__ import annotations

from typing import Any


class Nl2SqlError(Exception):
    """Base of every error we raise on purpose."""

    status = 500

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        return {"ok": False, "error": self.message, "status": self.status}


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
