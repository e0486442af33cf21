"""Gemini through google-genai: the production model.

The client comes from the environment exactly as google-genai users expect
(``GEMINI_API_KEY``/``GOOGLE_API_KEY``; ``GOOGLE_GENAI_USE_VERTEXAI=true`` with
``GOOGLE_CLOUD_PROJECT``/``GOOGLE_CLOUD_LOCATION`` and Application Default
Credentials; the SDK's own ``GOOGLE_GEMINI_BASE_URL``, ``GOOGLE_GENAI_API_VERSION``
…). We add what real traffic needs:

- retries (``gemini_retry``): 408/429/5xx, timeouts and connection failures are
  retried with backoff, a 429 after the server's RetryInfo delay, each attempt
  and every wait bounded by the question's deadline (``Request.deadline``);
- recovery from bad turns: MALFORMED_FUNCTION_CALL and empty turns (finish
  reason STOP, nothing in them) are asked again, at most ``bad_turn_retries``
  times, at temperature 0 and, where a call is what was missing, with tool mode
  ANY; a MAX_TOKENS turn that holds complete function calls goes on with them;
- usage with cached and total tokens and an estimated cost (``pricing``).

Automatic function calling is off: the agent runs the calls. Every failure
leaves this module as a ``ModelError`` subclass (or ``DeadlineExceeded``) with
one clear sentence; no google exception gets past it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from google import genai
from google.auth.exceptions import GoogleAuthError
from google.genai import errors as genai_errors
from google.genai import types

from nl2sql.answer import Usage
from nl2sql.config import DEFAULT_GEMINI_MODEL
from nl2sql.errors import DeadlineExceeded, ModelError, Nl2SqlError
from nl2sql.models import gemini_wire as wire
from nl2sql.models.base import Model, ModelTurn, Request, ToolMode
from nl2sql.models.gemini_errors import (
    GeminiAuthError,
    GeminiBlocked,
    GeminiConfigError,
    GeminiEmptyResponse,
    GeminiInvalidTurn,
    GeminiMaxTokens,
    GeminiQuotaError,
    GeminiRequestError,
    GeminiUnavailable,
)
from nl2sql.models.gemini_retry import (
    RETRY_STATUS_CODES,
    Attempts,
    OutOfTime,
    RetryPolicy,
    call_with_retries,
    transport_failure,
)

__all__ = ["GeminiAuthError", "GeminiBlocked", "GeminiConfigError", "GeminiEmptyResponse",
           "GeminiInvalidTurn", "GeminiMaxTokens", "GeminiModel", "GeminiQuotaError",
           "GeminiRequestError", "GeminiUnavailable", "RetryPolicy", "thinking_config"]

log = logging.getLogger(__name__)

#: Gemini 2.x: a low temperature keeps SQL and tool use deterministic-ish.
#: Gemini 3.x: Google recommends the default (1.0); lower values can loop.
LOW_TEMPERATURE = 0.1
#: How often a malformed or empty turn is asked again before the question fails.
BAD_TURN_RETRIES = 2
THINKING_LEVELS = ("minimal", "low", "medium", "high")

CREDENTIALS_HINT = (
    "set GEMINI_API_KEY (or GOOGLE_API_KEY) for the Gemini API, or "
    "GOOGLE_GENAI_USE_VERTEXAI=true with GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION "
    "and Application Default Credentials for Vertex AI; or use --model offline"
)


_BLOCKED_FINISH = {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII",
                   "LANGUAGE", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT"}
_INVALID_CALL_FINISH = {"MALFORMED_FUNCTION_CALL", "UNEXPECTED_TOOL_CALL"}


# -- configuration -------------------------------------------------------------------


def thinking_config(value: str) -> types.ThinkingConfig | None:
    """``NL2SQL_GEMINI_THINKING``: a level (Gemini 3: minimal/low/medium/high) or a
    token budget (Gemini 2.5: a whole number, 0 off, -1 dynamic); empty: the model's
    default.

    >>> thinking_config("low").thinking_level.value
    'LOW'
    >>> thinking_config("1024").thinking_budget
    1024
    """
    value = value.strip().lower()
    if not value:
        return None
    if value.lstrip("-").isdigit():
        return types.ThinkingConfig(thinking_budget=int(value))
    if value in THINKING_LEVELS:
        return types.ThinkingConfig(thinking_level=types.ThinkingLevel(value.upper()))
    raise ValueError(f"must be one of {', '.join(THINKING_LEVELS)} or a token budget")


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
        bad_turn_retries: int = BAD_TURN_RETRIES,
    ) -> None:
        self.name = name
        self.retry = retry or RetryPolicy()
        self.timeout_s = timeout_s
        self.bad_turn_retries = bad_turn_retries
        self.generation: dict[str, Any] = generation_defaults(name)
        if temperature is not None:
            self.generation["temperature"] = temperature
        if thinking is not None:
            self.generation["thinking_config"] = thinking
        gen = wire.model_generation(name)
        self._sign_foreign_calls = gen is not None and gen[0] >= 3
        self.client = client or self._client()

    def _client(self) -> genai.Client:
        # One attempt per SDK call: the retries are ours (gemini_retry), so they can
        # honour RetryInfo and the question's deadline.
        http = types.HttpOptions(timeout=int(self.timeout_s * 1000),
                                 retry_options=types.HttpRetryOptions(attempts=1))
        try:
            return genai.Client(http_options=http)
        except ValueError as e:
            raise GeminiConfigError(f"Gemini is not configured ({e}): {CREDENTIALS_HINT}") from None
        except GoogleAuthError as e:
            raise GeminiConfigError(
                f"Gemini credentials not found ({_first_line(e)}): {CREDENTIALS_HINT}"
            ) from None

    def config(self, request: Request, *, timeout_s: float | None = None,
               recovering: ToolMode | None = None) -> types.GenerateContentConfig:
        """The per-request configuration: system instruction, tools, tool mode; when
        ``recovering`` from a bad turn, temperature 0 and that tool mode."""
        tools = bool(request.tools)
        generation = dict(self.generation)
        mode = request.tool_mode
        if recovering is not None:
            generation["temperature"] = 0.0
            mode = recovering
        return types.GenerateContentConfig(
            system_instruction=request.system,
            tools=[wire.to_tool(request.tools)] if tools else None,
            tool_config=(wire.to_tool_config(mode, request.allowed_functions)
                         if tools else None),
            automatic_function_calling=types.AutomaticFunctionCallingConfig(disable=True),
            http_options=(types.HttpOptions(timeout=max(int(timeout_s * 1000), 1))
                          if timeout_s is not None else None),
            **generation,
        )

    def generate(self, request: Request) -> ModelTurn:
        return self._turn(request, self._send)

    def generate_stream(self, request: Request, on_text: Callable[[str], None]) -> ModelTurn:
        """``streamGenerateContent``: text parts reach ``on_text`` as chunks arrive; the
        chunks are then merged into one response and read like any other."""
        def send(req: Request, recovering: ToolMode | None) -> types.GenerateContentResponse:
            return wire.merge_chunks(self._send(req, recovering, on_text=on_text))

        return self._turn(request, send)

    def _turn(self, request: Request,
              send: Callable[[Request, ToolMode | None], types.GenerateContentResponse],
              ) -> ModelTurn:
        """One turn, asking again (bounded) when the model returns a bad one."""
        usage = Usage()
        recovering: ToolMode | None = None
        for tries in range(1, self.bad_turn_retries + 2):
            response = send(request, recovering)
            try:
                turn = self.read(response)
            except ModelError as e:
                how = e.details.get("recover")
                if how is None:
                    raise
                usage.add(wire.to_usage(response.usage_metadata, self.name))
                left = None if request.deadline is None else request.deadline - time.monotonic()
                if tries > self.bad_turn_retries or (left is not None and left <= 0):
                    raise type(e)(f"{e.message} ({tries} tries)") from None
                recovering = self._recovery_mode(request, how)
                log.info("Gemini %s; asking again (temperature 0, tool mode %s)",
                         e.message, recovering)
                continue
            usage.add(turn.usage)
            turn.usage = usage
            return turn
        raise AssertionError("unreachable")  # pragma: no cover

    def _recovery_mode(self, request: Request, how: str) -> ToolMode:
        """ANY when a call is what the turn lacked: after a malformed call, or when
        nothing has been called yet for the question; otherwise the request's mode
        (an empty turn after results may well be due a text answer)."""
        if not request.tools or request.tool_mode == "NONE":
            return request.tool_mode
        fresh_question = bool(request.history) and request.history[-1].role == "user"
        return "ANY" if how == "call" or fresh_question else request.tool_mode

    def _send(self, request: Request, recovering: ToolMode | None,
              on_text: Callable[[str], None] | None = None) -> Any:
        """One response (or, with ``on_text``, a stream's chunks), retried as needed."""
        contents = wire.to_contents(request.history, sign_foreign_calls=self._sign_foreign_calls)
        attempts = Attempts()

        def once(timeout: float | None) -> Any:
            config = self.config(request, timeout_s=timeout, recovering=recovering)
            if on_text is None:
                return self.client.models.generate_content(
                    model=self.name, contents=contents, config=config)
            chunks = []
            for chunk in self.client.models.generate_content_stream(
                    model=self.name, contents=contents, config=config):
                chunks.append(chunk)
                piece = wire.chunk_text(chunk)
                if piece:
                    on_text(piece)
            return chunks

        try:
            return call_with_retries(once, self.retry, request.deadline, self.timeout_s,
                                     attempts)
        except OutOfTime as e:
            raise self.out_of_time(e) from None
        except Exception as e:  # noqa: BLE001 - translated; nothing of google's leaks
            raise self.translate(e, attempts.made) from e

    # -- responses and errors ----------------------------------------------------------

    def read(self, response: types.GenerateContentResponse) -> ModelTurn:
        """The turn in ``response``, or the ``ModelError`` it amounts to. A bad turn
        worth asking again carries ``details["recover"]``: ``call`` or ``empty``."""
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
        if reason in _INVALID_CALL_FINISH:
            detail = f": {candidate.finish_message}" if candidate.finish_message else ""
            raise GeminiInvalidTurn(f"Gemini produced an invalid function call ({reason}){detail}",
                                    recover="call")
        empty_ok = reason in (None, "STOP", "FINISH_REASON_UNSPECIFIED")
        if candidate.content is None or not candidate.content.parts:
            if reason == "MAX_TOKENS":
                raise _max_tokens()
            raise GeminiEmptyResponse(
                f"Gemini returned an empty answer (finish reason {reason or 'none'})",
                **({"recover": "empty"} if empty_ok else {}))
        message = wire.to_message(candidate.content)
        if reason == "MAX_TOKENS" and not message.calls:
            raise _max_tokens()  # cut text; complete calls go on (the parts parsed whole)
        if not message.text and not message.calls:
            raise GeminiEmptyResponse(
                f"Gemini returned no text and no function call (finish reason {reason or 'none'})",
                **({"recover": "empty"} if empty_ok else {}))
        return ModelTurn(message, wire.to_usage(response.usage_metadata, self.name),
                         finish_reason=reason)

    def out_of_time(self, e: OutOfTime) -> Nl2SqlError:
        """The deadline cut retries short: say what was being waited for."""
        last = e.last
        if e.wanted_delay is not None:
            return GeminiQuotaError(
                f"Gemini quota or rate limit exhausted (429): the server asks to wait "
                f"{e.wanted_delay:g}s, past this question's time limit "
                "(NL2SQL_QUESTION_DEADLINE_S); try again in a minute")
        why = f" (the last attempt: {self.translate(last, 0).message})" if last else ""
        return DeadlineExceeded(
            "the question ran out of time waiting for Gemini (NL2SQL_QUESTION_DEADLINE_S)"
            + why)

    def translate(self, error: BaseException, attempts: int | None = None) -> Nl2SqlError:
        """One clear ``ModelError`` for anything the SDK or the transport raised."""
        made = self.retry.attempts if attempts is None else attempts
        tries = f"after {made} attempt{'s' if made != 1 else ''}" if made else "retrying"
        if isinstance(error, Nl2SqlError):
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
        transport = transport_failure(error)
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


def _max_tokens() -> GeminiMaxTokens:
    return GeminiMaxTokens("Gemini's answer was cut at the output token limit (MAX_TOKENS); "
                           "ask a narrower question")


def _enum(value: Any) -> str:
    return str(getattr(value, "value", value))


def _first_line(value: object) -> str:
    text = str(value).strip()
    return text.splitlines()[0] if text else "no details"
