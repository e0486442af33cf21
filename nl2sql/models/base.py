"""The Model interface and the vendor-neutral conversation it speaks.

A conversation is a list of ``Message``: the user's question, the model's turns
(text and/or function calls) and our turns answering those calls. Adapters map
it to their wire format; ``native`` keeps a vendor's own copy of a model turn
(JSON-safe) so it can be sent back unchanged, e.g. Gemini's thought signatures.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from nl2sql.answer import Usage
from nl2sql.interpretation import Interpretation

Role = Literal["user", "model", "tool"]
ToolMode = Literal["AUTO", "ANY", "NONE"]


@dataclass
class FunctionCall:
    name: str
    args: dict[str, Any]
    id: str | None = None


@dataclass
class FunctionResponse:
    """``response`` is ``{"output": ...}`` on success or ``{"error": "..."}``."""

    name: str
    response: dict[str, Any]
    id: str | None = None


@dataclass
class Message:
    role: Role
    text: str | None = None
    calls: list[FunctionCall] = field(default_factory=list)
    responses: list[FunctionResponse] = field(default_factory=list)
    native: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "text": self.text,
            "calls": [vars(c) for c in self.calls],
            "responses": [vars(r) for r in self.responses],
            "native": self.native,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Message:
        return cls(
            role=d["role"],
            text=d.get("text"),
            calls=[FunctionCall(**c) for c in d.get("calls") or []],
            responses=[FunctionResponse(**r) for r in d.get("responses") or []],
            native=d.get("native"),
        )


#: the finish reason a model sets when it declines to answer (the offline planner);
#: the agent then marks the answer ``answered: false``
UNANSWERED = "UNANSWERED"


@dataclass
class ModelTurn:
    message: Message
    usage: Usage = field(default_factory=lambda: Usage(model_calls=1))
    finish_reason: str | None = None
    #: how the model read the question (nl2sql.interpretation), when it can say
    interpretation: Interpretation | None = None


@dataclass
class Request:
    """Everything a model needs for one turn."""

    history: list[Message]
    tools: list[dict[str, Any]]
    system: str
    tool_mode: ToolMode = "AUTO"
    allowed_functions: list[str] | None = None
    #: ``time.monotonic()`` by which the question must be done (retries included); None: no limit
    deadline: float | None = None


class Model(ABC):
    name: str = "model"
    # Earlier tool results are cut down to save a language model's context; a model
    # that re-reads the whole round every turn (the offline planner) needs them whole.
    reads_whole_history: bool = False

    @abstractmethod
    def generate(self, request: Request) -> ModelTurn:
        """Return the model's next turn for ``request``."""

    def generate_stream(self, request: Request, on_text: Callable[[str], None]) -> ModelTurn:
        """The next turn, its text handed to ``on_text`` piece by piece as it arrives.
        A model that cannot stream returns the whole turn (the answer event carries it)."""
        return self.generate(request)

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release clients."""
