"""The agent: a bounded function-calling loop between a model and the tools.

Each turn the model sees the history and the declarations and answers with
text or function calls. Every call of a turn runs (concurrently when there are
several); the responses go back together, in call order, with the call ids.
The loop stops at a text answer or after ``max_steps`` turns, when the model is
asked once more with tools disabled so the user still gets a summary.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from nl2sql.answer import Answer, Step, Usage
from nl2sql.catalog import catalog
from nl2sql.config import Settings
from nl2sql.errors import DeadlineExceeded, Nl2SqlError
from nl2sql.history import Conversation
from nl2sql.history import trim as trim_history
from nl2sql.interpretation import interpret_sql
from nl2sql.knowledge.library import Knowledge
from nl2sql.model_view import summarise_older
from nl2sql.models.base import (
    UNANSWERED,
    FunctionCall,
    FunctionResponse,
    Message,
    Model,
    Request,
    ToolMode,
)
from nl2sql.prompts import system_instruction
from nl2sql.tools import Toolbox, ToolResult
from nl2sql.warehouse.base import Warehouse

Event = dict[str, Any]
EventSink = Callable[[Event], None]

log = logging.getLogger(__name__)



@dataclass
class _CallOutcome:
    response: FunctionResponse
    step: Step
    tool: ToolResult | None


class Agent:
    def __init__(
        self,
        model: Model,
        warehouse: Warehouse,
        settings: Settings,
        *,
        labels: dict[str, str] | None = None,
        tool_mode: ToolMode = "AUTO",
        allowed_functions: list[str] | None = None,
        knowledge: Knowledge | None = None,
    ) -> None:
        self.model = model
        self.warehouse = warehouse
        self.settings = settings
        self.tools = Toolbox(warehouse, settings, labels=labels, knowledge=knowledge)
        self.tool_mode: ToolMode = tool_mode
        self.allowed_functions = allowed_functions

    def ask(
        self,
        question: str,
        conversation: Conversation | None = None,
        on_event: EventSink | None = None,
        *,
        stream: bool = False,
    ) -> tuple[Answer, Conversation]:
        """Answer ``question``; returns the answer and the extended conversation.

        ``stream``: the model's text goes to ``on_event`` as ``answer_delta`` events
        while it is written (``answer_reset`` when the turn turns out to call
        functions, so the text so far was not the answer)."""
        started = time.perf_counter()
        # One deadline bounds the model calls, their retries and the queries.
        deadline = time.monotonic() + self.settings.question_deadline_s
        self.tools.deadline = deadline
        emit = on_event or (lambda _event: None)
        # Earlier turns travel with a follow-up, trimmed to a budget (nl2sql/history.py).
        history = trim_history(conversation.messages) if conversation else []
        history.append(Message("user", text=question))
        question_at = len(history) - 1
        answer = Answer(question=question, answer="", model=self.model.name)
        # The catalog lets the model go straight to get_table (nl2sql/catalog.py).
        system = system_instruction(self.settings, warehouse_kind=self.warehouse.kind,
                                    catalog=catalog(self.tools))

        text: str | None = None
        budget = _Budget(self.settings.max_queries_per_question)
        for turn_no in range(self.settings.max_steps + 1):
            final = turn_no == self.settings.max_steps
            mode, allowed = self._tool_config(turn_no, final)
            if time.monotonic() >= deadline:
                raise DeadlineExceeded(
                    f"the question took longer than {self.settings.question_deadline_s:g}s "
                    "(NL2SQL_QUESTION_DEADLINE_S); try a narrower question")
            emit({"event": "model_started", "turn": turn_no + 1})
            streamed: list[str] = []

            def delta(piece: str, turn_no: int = turn_no, streamed: list[str] = streamed) -> None:
                streamed.append(piece)
                emit({"event": "answer_delta", "turn": turn_no + 1, "text": piece})

            request = Request(
                # a snapshot of what this turn was sent; earlier results summarised
                history=(list(history) if self.model.reads_whole_history
                         else summarise_older(history, question_at)),
                tools=self.tools.declarations,
                system=system,
                tool_mode=mode,
                allowed_functions=allowed,
                deadline=deadline,
            )
            turn = (self.model.generate_stream(request, delta) if stream
                    else self.model.generate(request))
            if streamed and turn.message.calls:
                emit({"event": "answer_reset", "turn": turn_no + 1})
            answer.usage.add(turn.usage)
            history.append(turn.message)
            if turn.finish_reason == UNANSWERED:
                answer.answered = False
            if not turn.message.calls or final:
                text = turn.message.text
                answer.interpretation = turn.interpretation
                break
            outcomes = self._run_calls(turn.message.calls, emit, budget)
            history.append(Message("tool", responses=[o.response for o in outcomes]))
            for o in outcomes:
                answer.steps.append(o.step)
                if o.tool is not None and o.tool.result is not None:
                    r = o.tool.result
                    answer.sql, answer.columns, answer.rows = o.tool.sql, r.columns, r.rows
                    answer.truncated, answer.bytes_processed = r.truncated, r.bytes_processed
                    answer.total_rows = r.total_rows
                    answer.job = r.job_facts()
                    answer.model_sql = o.tool.model_sql
                    answer.usage.add(Usage(bytes_processed=r.bytes_processed,
                                           bytes_billed=r.bytes_billed))

        if not text:
            answer.answered = False
            text = ("I could not finish within the step limit "
                    f"({self.settings.max_steps} steps); try a narrower question.")
        if not answer.answered:
            # Rows from an exploratory query (a value lookup, say) are not an answer:
            # showing them beside "I could not answer" would invite misreading.
            answer.sql, answer.columns, answer.rows, answer.truncated = None, [], [], False
            answer.model_sql = None
        elif answer.interpretation is None and answer.sql:
            answer.interpretation = interpret_sql(  # a model that gave none
                answer.sql, self.settings.datasets_dir)
        answer.answer = text.strip()
        answer.seconds = time.perf_counter() - started
        emit({"event": "answer", "answer": answer.to_dict()})
        return answer, Conversation(history)

    def _tool_config(self, turn_no: int, final: bool) -> tuple[ToolMode, list[str] | None]:
        """NONE for the closing summary; a forced mode (ANY) only for the first turn,
        since under ANY the model may not answer in text: once the forced calls are
        answered it returns to AUTO and can reply."""
        if final:
            return "NONE", None
        if self.tool_mode == "ANY" and turn_no > 0:
            return "AUTO", None
        return self.tool_mode, self.allowed_functions

    # -- function calls ----------------------------------------------------------

    def _run_calls(self, calls: list[FunctionCall], emit: EventSink,
                   budget: _Budget) -> list[_CallOutcome]:
        # Fan-out is bounded: the calls past the per-turn limit, and the queries
        # past the per-question limit, are answered with an error, not run.
        refusals = [budget.refusal(i, call, self.settings.max_calls_per_turn)
                    for i, call in enumerate(calls)]
        if len(calls) == 1:
            return [self._run_call(calls[0], emit, refusals[0])]
        # Responses must come back in call order: map() preserves it.
        workers = min(len(calls), self.settings.max_calls_per_turn, 8)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(lambda c, r: self._run_call(c, emit, r), calls, refusals))

    def _run_call(self, call: FunctionCall, emit: EventSink,
                  refusal: str | None = None) -> _CallOutcome:
        emit({"event": "step_started", "name": call.name, "args": call.args, "id": call.id})
        t0 = time.perf_counter()
        tool: ToolResult | None = None
        error: str | None = None
        try:
            if refusal:
                raise Nl2SqlError(refusal)
            tool = self.tools.call(call.name, call.args)
            payload: dict[str, Any] = {"output": tool.payload}
        except Nl2SqlError as e:
            error = e.public_message
            payload = {"error": error}
        except Exception:  # noqa: BLE001 - the model must hear about every failure
            # Details go to the log, not to the model or the user.
            log.exception("unexpected error in %s(%s)", call.name, call.args)
            error = f"{call.name} failed with an internal error; try another approach"
            payload = {"error": error}
        seconds = time.perf_counter() - t0
        step = Step(call.name, call.args, ok=error is None, seconds=seconds, error=error,
                    call_id=call.id)
        emit({"event": "step_finished", **step.to_dict(), "id": call.id})
        return _CallOutcome(FunctionResponse(call.name, payload, id=call.id), step, tool)


class _Budget:
    """What one question may still spend: ``sql_query`` calls left."""

    def __init__(self, queries: int) -> None:
        self.queries = queries

    def refusal(self, index: int, call: FunctionCall, per_turn: int) -> str | None:
        """Why call ``index`` of a turn may not run, or None (and it is counted)."""
        if index >= per_turn:
            return (f"not run: at most {per_turn} function calls run per turn; "
                    "call again with fewer")
        if call.name == "sql_query":
            if self.queries <= 0:
                return ("not run: this question has used its sql_query budget; "
                        "answer with the results you have")
            self.queries -= 1
        return None
