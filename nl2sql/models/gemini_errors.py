"""The errors the Gemini adapter raises: each a ``ModelError`` with its HTTP-ish status."""

from __future__ import annotations

from nl2sql.errors import ModelError


class GeminiConfigError(ModelError):
    """No usable credentials or client configuration."""

    status = 500


class GeminiAuthError(ModelError):
    """The API key or credentials were rejected (401/403, invalid key)."""

    status = 502


class GeminiQuotaError(ModelError):
    """429 RESOURCE_EXHAUSTED, still after every retry: quota or rate limit."""

    status = 429


class GeminiUnavailable(ModelError):
    """5xx, timeouts or connection failures, still after every retry."""

    status = 503


class GeminiRequestError(ModelError):
    """The API refused the request (400 invalid argument, 404 unknown model...)."""

    status = 502


class GeminiBlocked(ModelError):
    """The prompt or the answer was blocked by safety filters."""

    status = 422


class GeminiEmptyResponse(ModelError):
    """The response had no candidate, or a candidate with nothing in it."""

    status = 502


class GeminiMaxTokens(ModelError):
    """The answer was cut at the output token limit (finish reason MAX_TOKENS)."""

    status = 502


class GeminiInvalidTurn(ModelError):
    """The model produced a malformed or unexpected function call."""

    status = 502
