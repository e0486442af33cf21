"""A scripted model: a real ``Model`` that replays queued turns.

Used by tests through the public API (like llm's mock model) and handy for
demos: ``enqueue()`` turns, then ask. Each request is recorded in ``requests``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from nl2sql.errors import ModelError
from nl2sql.models.base import FunctionCall, Message, Model, ModelTurn, Request

Script = ModelTurn | Callable[[Request], ModelTurn]


class ScriptedModel(Model):
    name = "scripted"

    def __init__(self, *turns: Script) -> None:
        self.queue: deque[Script] = deque(turns)
        self.requests: list[Request] = []

    def enqueue(self, *turns: Script) -> ScriptedModel:
        self.queue.extend(turns)
        return self

    def generate(self, request: Request) -> ModelTurn:
        self.requests.append(request)
        if not self.queue:
            raise ModelError("scripted model has no more turns")
        turn = self.queue.popleft()
        return turn(request) if callable(turn) else turn


def text(answer: str) -> ModelTurn:
    return ModelTurn(Message("model", text=answer))


def calls(*specs: tuple[str, dict[str, Any]]) -> ModelTurn:
    """A turn calling several functions: ``calls(("get_table", {...}), ...)``."""
    return ModelTurn(
        Message("model", calls=[FunctionCall(name, args, id=f"call-{i}")
                                for i, (name, args) in enumerate(specs)])
    )
