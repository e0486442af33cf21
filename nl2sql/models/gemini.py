"""Gemini through google-genai: the production model.

The client comes from the environment exactly as google-genai users expect
(``GEMINI_API_KEY``/``GOOGLE_API_KEY``; ``GOOGLE_GENAI_USE_VERTEXAI=true`` with
``GOOGLE_CLOUD_PROJECT``/``GOOGLE_CLOUD_LOCATION`` and Application Default
Credentials; the SDK's own ``GOOGLE_GEMINI_BASE_URL``, ``GOOGLE_GENAI_API_VERSION``
…); we only add a timeout and retry options (exponential backoff with jitter on
408/429/5xx and timeouts, done by the SDK). Automatic function calling is off:
the agent runs the calls. Every failure leaves this module as a ``ModelError``
subclass with one clear sentence; no google exception gets past it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from google import genai
from google.auth.exceptions import GoogleAuthError
from google.genai import errors as genai_errors
from google.genai import types

from nl2sql.config import DEFAULT_GEMINI_MODEL
from nl2sql.errors import ModelError
from nl2sql.models import gemini_wire as wire
from nl2sql.models.base import Model, ModelTurn, Request

#: Gemini 2.x: a low temperature keeps SQL and tool use deterministic-ish.
#: Gemini 3.x: Google recommends the default (1.0); lower values can loop.
LOW_TEMPERATURE = 0.1
RETRY_STATUS_CODES = (408, 429, 500, 502, 503, 504)

CREDENTIALS_HINT = (
    "set GEMINI_API_KEY (or GOOGLE_API_KEY) for the Gemini API, or "
    "GOOGLE_GENAI_USE_VERTEXAI=true with GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION "
    "and Application Default Credentials for Vertex AI; or use --model offline"
)


# -- errors ------------------------------------------------------------------------


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


_BLOCKED_FINISH = {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII",
                   "LANGUAGE", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT"}
_INVALID_CALL_FINISH = {"MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL"}


# -- configuration -------------------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff for transient failures, handed to the SDK as ``HttpRetryOptions``.

    Delay before retry n is about ``initial_delay * exp_base**n`` plus up to
    ``jitter`` seconds of randomness, capped at ``max_delay``.
    """

    attempts: int = 5  # including the first request
    initial_delay: float = 1.0
    max_delay: float = 30.0
    exp_base: float = 2.0
    jitter: float = 1.0

    def options(self) -> types.HttpRetryOptions:
        return types.HttpRetryOptions(
            attempts=self.attempts, initial_delay=self.initial_delay, max_delay=self.max_delay,
            exp_base=self.exp_base, jitter=self.jitter,
            http_status_codes=list(RETRY_STATUS_CODES),
        )


def generation_defaults(model: str) -> dict[str, Any]:
    """Generation settings per model family (see the module constants)."""
    gen = wire.model_generation(model)
    if gen is not None and gen[0] < 3:
        return {"temperature": LOW_TEMPERATURE}
    return {}


# -- the model -----------------------------------------------------------------------


class GeminiModel(Model):
    """A ``Model`` calling ``generateContent`` on the Gemini API or Vertex AI."""

    def __init__(
        self,
        name: str = DEFAULT_GEMINI_MODEL,
        *,
        retry: RetryPolicy | None = None,
        timeout_s: float = 60.0,  # per attempt; a stalled call must not hold a page for long
        temperature: float | None = None,
        thinking: types.ThinkingConfig | None = None,
        client: genai.Client | None = None,
    ) -> None:
        self.name = name
        self.retry = retry or RetryPolicy()
        self.timeout_s = timeout_s
        self.generation: dict[str, Any] = generation_defaults(name)
        if temperature is not None:
            self.generation["temperature"] = temperature
        if thinking is not None:
            self.generation["thinking_config"] = thinking
        gen = wire.model_generation(name)
        self._sign_foreign_calls = gen is not None and gen[0] >= 3
        self.client = client or self._client()

    def _client(self) -> genai.Client:
        http = types.HttpOptions(timeout=int(self.timeout_s * 1000),
                                 retry_options=self.retry.options())
        try:
            return genai.Client(http_options=http)
        except ValueError as e:
            raise GeminiConfigError(f"Gemini is not configured ({e}): {CREDENTIALS_HINT}") from None
        except GoogleAuthError as e:
            raise GeminiConfigError(
                f"Gemini credentials not found ({_first_line(e)}): {CREDENTIALS_HINT}"
            ) from None

    def config(self, request: Request) -> types.GenerateContentConfig:
        """The per-request configuration: system instruction, tools, tool mode."""
        tools = bool(request.tools)
        return types.GenerateContentConfig(
            system_instruction=request.system,
            tools=[wire.to_tool(request.tools)] if tools else None,
            tool_config=(wire.to_tool_config(request.tool_mode, request.allowed_functions)
                         if tools else None),
            automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
            **self.generation,
        )

    def generate(self, request: Request) -> ModelTurn:
        contents = wire.to_contents(request.history, sign_foreign_calls=self._sign_foreign_calls)
        try:
            response = self.client.models.generate_content(
                model=self.name, contents=contents, config=self.config(request))
        except Exception as e:  # noqa: BLE001 - translated; nothing of google's leaks
            raise self.translate(e) from e
        return self.read(response)

    # -- responses and errors ----------------------------------------------------------

    def read(self, response: types.GenerateContentResponse) -> ModelTurn:
        """The turn in ``response``, or the ``ModelError`` it amounts to."""
        feedback = response.prompt_feedback
        if feedback is not None and feedback.block_reason is not None:
            why = _enum(feedback.block_reason)
            extra = f": {feedback.block_reason_message}" if feedback.block_reason_message else ""
            raise GeminiBlocked(f"Gemini blocked the request ({why}){extra}; rephrase the question")
        if not response.candidates:
            raise GeminiEmptyResponse("Gemini returned no answer (no candidates); try again")
        candidate = response.candidates[0]
        reason = _enum(candidate.finish_reason) if candidate.finish_reason else None
        if reason in _BLOCKED_FINISH:
            raise GeminiBlocked(
                f"Gemini stopped its answer for {reason} (safety filters); rephrase the question")
        if reason == "MAX_TOKENS":
            raise GeminiMaxTokens(
                "Gemini's answer was cut at the output token limit (MAX_TOKENS); "
                "ask a narrower question")
        if reason in _INVALID_CALL_FINISH:
            detail = f": {candidate.finish_message}" if candidate.finish_message else ""
            raise GeminiInvalidTurn(f"Gemini produced an invalid function call ({reason}){detail}")
        if candidate.content is None or not candidate.content.parts:
            raise GeminiEmptyResponse(
                f"Gemini returned an empty answer (finish reason {reason or 'none'}); try again")
        message = wire.to_message(candidate.content)
        if not message.text and not message.calls:
            raise GeminiEmptyResponse(
                f"Gemini returned no text and no function call (finish reason {reason or 'none'})")
        return ModelTurn(message, wire.to_usage(response.usage_metadata), finish_reason=reason)

    def translate(self, error: Exception) -> ModelError:
        """One clear ``ModelError`` for anything the SDK or the transport raised."""
        tries = f"after {self.retry.attempts} attempts"
        if isinstance(error, ModelError):
            return error
        if isinstance(error, genai_errors.APIError):
            code, status = error.code, error.status or ""
            message = _first_line(error.message or error.details or "")
            if code in (401, 403) or "API key" in message or "API_KEY" in str(error.details):
                return GeminiAuthError(
                    f"Gemini rejected the credentials ({code} {status}): {message}. "
                    f"{CREDENTIALS_HINT[0].upper()}{CREDENTIALS_HINT[1:]}")
            if code == 429:
                return GeminiQuotaError(
                    f"Gemini quota or rate limit exhausted (429 {status}) {tries}: {message}")
            if code == 404:
                return GeminiRequestError(
                    f"Gemini model {self.name!r} was not found (404): {message}")
            if code in RETRY_STATUS_CODES or code >= 500:
                return GeminiUnavailable(
                    f"Gemini is unavailable ({code} {status}) {tries}: {message}")
            return GeminiRequestError(f"Gemini refused the request ({code} {status}): {message}")
        transport = _transport_failure(error)
        if transport == "timeout":
            return GeminiUnavailable(
                f"Gemini did not answer within {self.timeout_s:g}s ({tries})")
        if transport == "transport":
            return GeminiUnavailable(f"cannot reach Gemini ({tries}): {_first_line(error)}")
        if isinstance(error, GoogleAuthError):
            return GeminiAuthError(
                f"Gemini credentials failed: {_first_line(error)}. Run "
                "`gcloud auth application-default login` or set GEMINI_API_KEY")
        return ModelError(f"Gemini request failed: {type(error).__name__}: {_first_line(error)}")

    def close(self) -> None:
        self.client.close()


def _transport_failure(error: Exception) -> str | None:
    """``timeout`` or ``transport`` for the SDK's HTTP client errors (httpx or its
    fork httpx2, whichever google-genai uses), else None."""
    if type(error).__module__.split(".")[0] not in ("httpx", "httpx2"):
        return None
    names = {cls.__name__ for cls in type(error).__mro__}
    if "TimeoutException" in names:
        return "timeout"
    return "transport" if "TransportError" in names else None


def _enum(value: Any) -> str:
    return str(getattr(value, "value", value))


def _first_line(value: object) -> str:
    text = str(value).strip()
    return text.splitlines()[0] if text else "no details"
