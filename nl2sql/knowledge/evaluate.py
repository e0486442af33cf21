"""``nl2sql eval``: score the configured model on a golden set, Spider2-style.

A question file is a JSON or YAML list of ``{id, question, gold, order?, pct?,
expect?}`` (the format of ``eval/dev.json``). Each question goes through the
real agent; its gold SQL runs on the same warehouse through the gate and the
warehouse interface (on BigQuery: dry run first, under the byte cap). The
answer is correct when every gold column matches some returned column, as a
multiset or, with ``order``, as a sequence; numbers within 1e-2 absolute or
1e-4 relative (``pct``: also ×100 either way). Three verdicts:

- ``OK``: correct (or declined, when the question expects a decline);
- ``DECLINED``: the agent said it could not answer;
- ``WRONG``: it answered, and the answer is wrong: the costly case.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from nl2sql.answer import Answer, Usage
from nl2sql.errors import BadRequest, ConfigError, Nl2SqlError
from nl2sql.safety import Policy, check_sql
from nl2sql.warehouse.base import Warehouse

GOLD_MAX_ROWS = 100_000
VERDICTS = ("OK", "DECLINED", "WRONG")


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    gold: str | None  # None when a decline is expected
    order: bool = False
    pct: bool = False

    @property
    def expects_decline(self) -> bool:
        return self.gold is None


def load_questions(path: str | Path) -> list[Question]:
    """Read a question file; ``ConfigError`` names the first problem."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
        data = json.loads(text) if p.suffix == ".json" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{p}: cannot read: {e}") from None
    except (json.JSONDecodeError, yaml.YAMLError) as e:
        raise ConfigError(f"{p}: not valid {'JSON' if p.suffix == '.json' else 'YAML'}: "
                          f"{e}") from None
    if not isinstance(data, list) or not data:
        raise ConfigError(f"{p}: expected a non-empty list of questions")
    out, seen = [], set()
    for i, q in enumerate(data, 1):
        where = f"{p}: question {i}"
        if not isinstance(q, dict) or not isinstance(q.get("question"), str):
            raise ConfigError(f"{where}: needs a 'question' string")
        qid = str(q.get("id", i))
        if qid in seen:
            raise ConfigError(f"{where}: id {qid!r} is used twice")
        seen.add(qid)
        decline = q.get("expect") == "decline"
        if q.get("expect") not in (None, "decline"):
            raise ConfigError(f"{where}: 'expect' can only be \"decline\"")
        if not decline and not isinstance(q.get("gold"), str):
            raise ConfigError(f"{where} ({qid}): needs 'gold' SQL (or expect: decline)")
        out.append(Question(qid, q["question"], None if decline else q["gold"],
                            bool(q.get("order", False)), bool(q.get("pct", False))))
    return out


# -- comparing results (the rules of Spider 2.0's execution accuracy) --------------------


def _norm(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int | float | decimal.Decimal):
        return float(v)
    if isinstance(v, dt.datetime):
        return v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()[:10]
    if isinstance(v, str):
        s = v.strip()
        try:
            return float(s)
        except ValueError:
            return s
    return str(v)


def _close(a: Any, b: Any, pct: bool) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) and isinstance(b, float):
        def near(x: float, y: float) -> bool:
            return math.isclose(x, y, rel_tol=1e-4, abs_tol=1e-2)
        return near(a, b) or (pct and (near(a * 100, b) or near(a, b * 100)))
    if isinstance(a, str) and isinstance(b, str):
        if len(a) >= 10 and a[4:5] == "-":  # timestamps: ISO "T" and a space are the same
            return a[:19].replace("T", " ") == b[:19].replace("T", " ")
        return a == b
    return str(a) == str(b)


def _column_matches(g: list[Any], p: list[Any], ordered: bool, pct: bool) -> bool:
    if len(g) != len(p):
        return False
    if not ordered:
        def key(v: Any) -> tuple[bool, str, Any]:
            return (v is None, type(v).__name__, v if v is not None else 0)
        try:
            g, p = sorted(g, key=key), sorted(p, key=key)
        except TypeError:
            g, p = sorted(g, key=str), sorted(p, key=str)
    return all(_close(x, y, pct) for x, y in zip(g, p, strict=True))


def results_match(gold: Sequence[Sequence[Any]], got: Sequence[Sequence[Any]], *,
                  ordered: bool = False, pct: bool = False) -> bool:
    """Every gold column equals some returned column (extra returned columns are fine)."""
    if not gold:
        return not got
    gold_cols = [[_norm(v) for v in c] for c in zip(*gold, strict=True)]
    got_cols = [[_norm(v) for v in c] for c in zip(*got, strict=True)] if got else []
    return all(any(_column_matches(g, p, ordered, pct) for p in got_cols) for g in gold_cols)


# -- running a set ------------------------------------------------------------------------


@dataclass
class Outcome:
    question: Question
    verdict: str
    seconds: float
    answer: Answer | None = None
    gold_rows: list[list[Any]] | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        a = self.answer
        return {"id": self.question.id, "question": self.question.question,
                "verdict": self.verdict, "seconds": round(self.seconds, 3),
                "sql": a.sql if a else None, "rows": (a.rows[:5] if a else []),
                "answer": a.answer if a else None,
                "gold_rows": (self.gold_rows or [])[:5] if self.gold_rows is not None else None,
                "error": self.error}


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    seconds: float = 0.0

    def count(self, verdict: str) -> int:
        return sum(o.verdict == verdict for o in self.outcomes)

    def summary(self) -> str:
        n = len(self.outcomes) or 1
        ok, declined, wrong = (self.count(v) for v in VERDICTS)
        return (f"accuracy: {ok}/{len(self.outcomes)} ({100 * ok / n:.0f}%); "
                f"declined {declined}; wrong {wrong} ({100 * wrong / n:.0f}%)")

    def usage_line(self) -> str:
        u = self.usage
        tokens = ("unknown" if u.prompt_tokens is None and u.output_tokens is None else
                  f"{(u.prompt_tokens or 0) + (u.output_tokens or 0) + (u.thinking_tokens or 0)}")
        return (f"model calls: {u.model_calls}; tokens: {tokens}; "
                f"seconds: {self.seconds:.1f}")

    def to_dict(self) -> dict[str, Any]:
        return {"results": [o.to_dict() for o in self.outcomes],
                "correct": self.count("OK"), "declined": self.count("DECLINED"),
                "wrong": self.count("WRONG"), "total": len(self.outcomes),
                "usage": self.usage.to_dict(), "seconds": round(self.seconds, 3),
                "summary": self.summary()}


def gold_rows(sql: str, warehouse: Warehouse, policy: Policy,
              timeout_s: float) -> list[list[Any]]:
    """The gold result, through the same gate and warehouse as every answer."""
    checked = check_sql(sql, Policy(policy.allowed_datasets, policy.project, GOLD_MAX_ROWS))
    return warehouse.query(checked.sql, max_rows=GOLD_MAX_ROWS, timeout_s=timeout_s,
                           labels={"interface": "eval"}).rows


def score_one(q: Question, ask: Callable[[str], Answer], warehouse: Warehouse,
              policy: Policy, timeout_s: float) -> Outcome:
    started = time.perf_counter()
    gold: list[list[Any]] | None = None
    if q.gold is not None:
        try:
            gold = gold_rows(q.gold, warehouse, policy, timeout_s)
        except Nl2SqlError as e:
            raise BadRequest(f"question {q.id}: the gold SQL does not run: {e.message}") from None
    try:
        answer: Answer | None = ask(q.question)
        error = None
    except Nl2SqlError as e:  # a failure to answer is a decline, as a non-zero exit is
        answer, error = None, e.message
    declined = answer is None or not answer.answered
    if q.expects_decline:
        verdict = "OK" if declined else "WRONG"
    elif declined:
        verdict = "DECLINED"
    else:
        assert answer is not None and gold is not None
        verdict = ("OK" if results_match(gold, answer.rows, ordered=q.order, pct=q.pct)
                   else "WRONG")
    return Outcome(q, verdict, time.perf_counter() - started, answer, gold, error)


def run_eval(questions: list[Question], ask: Callable[[str], Answer], warehouse: Warehouse,
             policy: Policy, timeout_s: float,
             on_outcome: Callable[[Outcome], None] | None = None) -> Report:
    report = Report()
    started = time.perf_counter()
    for q in questions:
        outcome = score_one(q, ask, warehouse, policy, timeout_s)
        if outcome.answer is not None:
            report.usage.add(outcome.answer.usage)
        report.outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    report.seconds = time.perf_counter() - started
    return report


def outcome_line(o: Outcome) -> str:
    """``id: VERDICT``, with what went wrong for anything but OK."""
    line = f"{o.question.id}: {o.verdict}"
    if o.verdict == "OK":
        return line
    a = o.answer
    gold = "expect decline" if o.question.expects_decline else repr((o.gold_rows or [])[:3])
    detail = f"  {o.question.question}  gold={gold}"
    if o.error:
        detail += f"  error={o.error!r}"
    if a is not None:
        detail += f"  sql={a.sql!r} rows={a.rows[:3]!r} answer={a.answer[:160]!r}"
    return line + detail
