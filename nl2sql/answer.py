"""Result types shared by the agent and every interface."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from nl2sql.interpretation import Interpretation

#: The keys of ``nl2sql ask --json``, exactly (contract: design.md). The API
#: answer (``Answer.to_dict``) carries more: bytes_processed and job.
JSON_KEYS = ("question", "answer", "answered", "interpretation", "sql", "columns", "rows",
             "truncated", "steps", "model", "usage", "seconds")


@dataclass
class Step:
    """One function call the model made and how it went."""

    name: str
    args: dict[str, Any]
    ok: bool
    seconds: float
    error: str | None = None
    call_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "name": self.name,
            "args": self.args,
            "ok": self.ok,
            "seconds": round(self.seconds, 4),
        }
        if self.error is not None:
            d["error"] = self.error
        return d


@dataclass
class Usage:
    """Model and warehouse usage for one answer; None where unknown.

    ``cached_tokens`` is the part of ``prompt_tokens`` served from Gemini's context
    cache; ``cost_usd`` is an estimate from a small price table per model
    (``nl2sql/models/pricing.py``), not a bill. ``bytes_processed``/``bytes_billed``
    add up every query of the answer (BigQuery).
    """

    model_calls: int = 0
    prompt_tokens: int | None = None
    output_tokens: int | None = None
    thinking_tokens: int | None = None
    cached_tokens: int | None = None
    total_tokens: int | None = None
    cost_usd: float | None = None
    bytes_processed: int | None = None
    bytes_billed: int | None = None

    _SUMMED = ("prompt_tokens", "output_tokens", "thinking_tokens", "cached_tokens",
               "total_tokens", "cost_usd", "bytes_processed", "bytes_billed")

    def add(self, other: Usage) -> None:
        self.model_calls += other.model_calls
        for name in self._SUMMED:
            mine, theirs = getattr(self, name), getattr(other, name)
            if theirs is not None:
                setattr(self, name, (mine or 0) + theirs)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if d["cost_usd"] is not None:
            d["cost_usd"] = round(d["cost_usd"], 6)
        return d


@dataclass
class Answer:
    """What a question produced: the text and the data behind it."""

    question: str
    answer: str
    model: str
    sql: str | None = None
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    truncated: bool = False
    #: rows the whole result has, where the warehouse says (None: unknown, e.g. cut off)
    total_rows: int | None = None
    steps: list[Step] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    #: set by the answer service once the answer is saved (``nl2sql.service``)
    answer_id: str | None = None
    conversation_id: str | None = None
    #: wall time split into model, tools and query time (the service measures it)
    timings: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    bytes_processed: int | None = None
    #: the warehouse's facts about the last query's job: job_id, bytes_billed, cache_hit
    job: dict[str, Any] = field(default_factory=dict)
    answered: bool = True
    #: the model's text of ``sql`` when it differs (``sql`` is what the warehouse ran)
    model_sql: str | None = None
    #: how the question was read (nl2sql.interpretation); None when nothing ran
    interpretation: Interpretation | None = None

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` / API shape (contract: see design.md)."""
        return {
            "question": self.question,
            "answer": self.answer,
            "answered": self.answered,
            "interpretation": self.interpretation.to_dict() if self.interpretation else None,
            "sql": self.sql,
            "columns": list(self.columns),
            "rows": self.rows,
            "truncated": self.truncated,
            "steps": [s.to_dict() for s in self.steps],
            "model": self.model,
            "usage": self.usage.to_dict(),
            "seconds": round(self.seconds, 4),
            "bytes_processed": self.bytes_processed,
            "job": self.job,
            "model_sql": self.model_sql,
        }
