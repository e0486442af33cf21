"""Mapping between our conversation (``Message``) and google-genai ``types``.

Pure functions, no network: the Gemini adapter (``gemini.py``) builds the
request with them and reads the response back.

- A model turn we received keeps the vendor's own copy in ``Message.native``
  (``Content.model_dump(mode="json")``: thought signatures as base64 text) and is
  sent back from that copy, byte for byte, as the thought-signature rules ask
  (rebuilt from our fields only when the copy no longer validates).
- All responses to one model turn go back in one ``user`` content, one
  ``functionResponse`` part per call, in call order, with the call's id and name.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pydantic
from google.genai import types

from nl2sql.answer import Usage
from nl2sql.model_view import compact_output
from nl2sql.models.base import FunctionCall, Message, ToolMode
from nl2sql.models.pricing import estimate_usd

#: Gemini's documented placeholder for function calls that did not come from
#: Gemini (another model's history): Gemini 3 rejects an unsigned call otherwise.
SKIP_SIGNATURE = b"skip_thought_signature_validator"

log = logging.getLogger(__name__)

_FAMILY = re.compile(r"gemini-(\d+)(?:\.(\d+))?")


def model_generation(name: str) -> tuple[int, int] | None:
    """``(major, minor)`` of a Gemini model name, e.g. ``gemini-2.5-flash`` → ``(2, 5)``.

    >>> model_generation("models/gemini-3-flash-preview")
    (3, 0)
    >>> model_generation("my-tuned-model") is None
    True
    """
    m = _FAMILY.search(name)
    return (int(m.group(1)), int(m.group(2) or 0)) if m else None


# -- request -----------------------------------------------------------------------


def to_contents(history: list[Message], *, sign_foreign_calls: bool = False) -> list[types.Content]:
    """Our history as Gemini contents (``user``/``model`` roles only)."""
    return [to_content(m, sign_foreign_calls=sign_foreign_calls) for m in history]


def to_content(message: Message, *, sign_foreign_calls: bool = False) -> types.Content:
    if message.role == "model" and message.native:
        # JSON-mode validation decodes base64 bytes (thought signatures) exactly.
        try:
            return types.Content.model_validate_json(json.dumps(message.native))
        except pydantic.ValidationError as e:
            # A turn stored by another google-genai version (its types forbid unknown
            # fields) must not break the conversation: it goes as a turn we rebuilt,
            # which Gemini accepts with the documented placeholder signature.
            log.warning("stored Gemini turn no longer validates, sent rebuilt: %s",
                        str(e).splitlines()[0])
    if message.role == "model":
        parts: list[types.Part] = []
        if message.text:
            parts.append(types.Part(text=message.text))
        for i, call in enumerate(message.calls):
            parts.append(types.Part(
                function_call=types.FunctionCall(name=call.name, args=call.args, id=call.id),
                thought_signature=SKIP_SIGNATURE if (sign_foreign_calls and i == 0) else None,
            ))
        return types.Content(role="model", parts=parts or [types.Part(text="")])
    if message.role == "tool":
        return types.Content(role="user", parts=[
            types.Part(function_response=types.FunctionResponse(
                name=r.name, response=_compact(r.response), id=r.id))
            for r in message.responses
        ])
    return types.Content(role="user", parts=[types.Part(text=message.text or "")])


def _compact(response: dict[str, Any]) -> dict[str, Any]:
    """A function response as Gemini is sent it (``nl2sql.model_view.compact_output``)."""
    if "output" not in response:
        return response
    return {**response, "output": compact_output(response["output"])}


def to_tool(declarations: list[dict[str, Any]]) -> types.Tool:
    """Our JSON declarations (``schemas/functions.json``) as one Gemini ``Tool``."""
    decls = []
    for d in declarations:
        params = d.get("parameters")
        fields: dict[str, Any] = {"name": d["name"], "description": d.get("description", "")}
        # An OBJECT schema with no properties is rejected by the API: a function
        # without parameters is declared without a parameters schema.
        if params and params.get("properties"):
            fields["parameters"] = params
        decls.append(types.FunctionDeclaration.model_validate(fields))
    return types.Tool(function_declarations=decls)


def to_tool_config(mode: ToolMode, allowed: list[str] | None = None) -> types.ToolConfig:
    """``AUTO`` (model decides), ``ANY`` (must call, optionally one of ``allowed``), ``NONE``."""
    return types.ToolConfig(function_calling_config=types.FunctionCallingConfig(
        mode=types.FunctionCallingConfigMode(mode),
        allowed_function_names=list(allowed) if (mode == "ANY" and allowed) else None,
    ))


# -- response ----------------------------------------------------------------------


def to_message(content: types.Content) -> Message:
    """A model content as our ``Message``; ``native`` keeps it for the way back."""
    texts: list[str] = []
    calls: list[FunctionCall] = []
    for part in content.parts or []:
        if part.function_call is not None:
            fc = part.function_call
            calls.append(FunctionCall(name=fc.name or "", args=dict(fc.args or {}), id=fc.id))
        elif part.text and not part.thought:
            texts.append(part.text)
    native = content.model_dump(mode="json", exclude_none=True)
    native["role"] = "model"
    return Message("model", text="".join(texts) or None, calls=calls, native=native)


def to_usage(meta: types.GenerateContentResponseUsageMetadata | None,
             model: str = "") -> Usage:
    """One call's usage, with the cached part of the prompt and an estimated cost."""
    if meta is None:
        return Usage(model_calls=1)
    return Usage(
        model_calls=1,
        prompt_tokens=meta.prompt_token_count,
        output_tokens=meta.candidates_token_count,
        thinking_tokens=meta.thoughts_token_count,
        cached_tokens=meta.cached_content_token_count,
        total_tokens=meta.total_token_count,
        cost_usd=estimate_usd(model, meta.prompt_token_count, meta.candidates_token_count,
                              meta.thoughts_token_count, meta.cached_content_token_count),
    )



# -- streaming ---------------------------------------------------------------------


def chunk_text(chunk: types.GenerateContentResponse) -> str:
    """The answer text in one streamed chunk (thoughts left out)."""
    if not chunk.candidates or chunk.candidates[0].content is None:
        return ""
    return "".join(p.text for p in chunk.candidates[0].content.parts or []
                   if p.text and not p.thought)


def merge_chunks(chunks: list[types.GenerateContentResponse]) -> types.GenerateContentResponse:
    """A stream's chunks as the one response ``generateContent`` would have returned:
    parts in order, consecutive text parts joined (a thought signature, which the API
    may send on a last, empty part, stays with the text), the last finish reason and
    usage."""
    parts: list[types.Part] = []
    candidate = types.Candidate()
    feedback = None
    usage = None
    for chunk in chunks:
        feedback = chunk.prompt_feedback or feedback
        usage = chunk.usage_metadata or usage
        if not chunk.candidates:
            continue
        c = chunk.candidates[0]
        candidate.finish_reason = c.finish_reason or candidate.finish_reason
        candidate.finish_message = c.finish_message or candidate.finish_message
        for part in (c.content.parts if c.content is not None else None) or []:
            last = parts[-1] if parts else None
            joinable = (last is not None and part.function_call is None
                        and last.function_call is None and part.text is not None
                        and last.text is not None and bool(part.thought) == bool(last.thought)
                        and last.thought_signature is None)
            if joinable and last is not None:
                parts[-1] = last.model_copy(update={
                    "text": (last.text or "") + (part.text or ""),
                    "thought_signature": part.thought_signature})
            else:
                parts.append(part)
    if parts:
        candidate.content = types.Content(role="model", parts=parts)
    return types.GenerateContentResponse(candidates=[candidate] if chunks else [],
                                         prompt_feedback=feedback, usage_metadata=usage)
