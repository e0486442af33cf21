"""What a question costs in context: characters and estimated tokens sent to Gemini.

For each demo question the real agent runs against the demo warehouse, twice:
with a scripted model replaying the exploration the system instruction asks of
Gemini now that the first request carries the catalog (get_table on the tables
the question needs and search_verified_queries, in one turn → sql_query →
answer: 3 model calls), and with the offline planner
(measured as if its requests went to Gemini). Every request is mapped to Gemini's wire format
by the adapter's own mapping (``nl2sql.models.gemini_wire``) and measured by
part: system instruction, function declarations, the question, the model's
turns, metadata responses, query results, and earlier conversation. Then all
questions are asked in one conversation to show the history budget at work.
Tokens are estimated at 4 characters each (``nl2sql.history.CHARS_PER_TOKEN``).

    .venv/bin/python bench/context.py [--db data/demo.duckdb] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlglot
from sqlglot import exp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nl2sql.agent import Agent, Conversation  # noqa: E402
from nl2sql.config import Settings  # noqa: E402
from nl2sql.history import DEFAULT_BUDGET, estimate_tokens  # noqa: E402
from nl2sql.models import gemini_wire as wire  # noqa: E402
from nl2sql.models.base import Model, ModelTurn, Request  # noqa: E402
from nl2sql.models.offline import OfflinePlanner  # noqa: E402
from nl2sql.models.scripted import ScriptedModel, calls, text  # noqa: E402
from nl2sql.warehouse.duckdb import DuckDBWarehouse  # noqa: E402

DATASET = "thelook_ecommerce"
# The shared evaluation set beside the repository (or beside a worktree's parent).
_ROOT = Path(__file__).resolve().parent.parent
EVAL = next((p for p in (_ROOT.parent / "shared" / "eval" / "dev_questions.json",
                         _ROOT.parent.parent / "shared" / "eval" / "dev_questions.json")
             if p.is_file()), _ROOT.parent / "shared" / "eval" / "dev_questions.json")
# Used when the shared evaluation set is not beside the repository.
QUESTIONS = [
    ("How many users are there?", f"SELECT COUNT(*) AS users FROM {DATASET}.users"),
    ("What percentage of orders are cancelled?",
     f"SELECT 100 * COUNTIF(status = 'Cancelled') / COUNT(*) AS pct FROM {DATASET}.orders"),
    ("How many users are there by gender?",
     f"SELECT gender, COUNT(*) AS n FROM {DATASET}.users GROUP BY gender"),
    ("What is the average retail price of products by department?",
     f"SELECT department, AVG(retail_price) AS avg_price FROM {DATASET}.products "
     "GROUP BY department"),
    ("What are the top 5 brands by number of order items?",
     f"SELECT p.brand, COUNT(*) AS n FROM {DATASET}.order_items AS oi JOIN {DATASET}.products "
     "AS p ON oi.product_id = p.id GROUP BY p.brand ORDER BY n DESC LIMIT 5"),
    ("What is the revenue by country of the buyer in 2024?",
     f"SELECT u.country, SUM(oi.sale_price) AS revenue FROM {DATASET}.order_items AS oi "
     f"JOIN {DATASET}.users AS u ON oi.user_id = u.id WHERE EXTRACT(YEAR FROM oi.created_at) "
     "= 2024 GROUP BY u.country ORDER BY revenue DESC LIMIT 20"),
]
METADATA = {"list_datasets", "list_tables", "get_table", "search_verified_queries"}
# The target for a single-table question (issue 14): model calls and estimated tokens.
TARGET_CALLS, TARGET_TOKENS = 3, 4_000
PARTS = ("system", "declarations", "question", "model_turns", "metadata", "results", "earlier")


@dataclass
class Measure:
    """Characters by part, summed over the requests of one question."""

    requests: int = 0
    chars: Counter[str] = field(default_factory=Counter)
    last_request: int = 0

    @property
    def total(self) -> int:
        return sum(self.chars.values())


class MeasuringModel(Model):
    """Wraps a model; measures each request as the Gemini adapter would send it."""

    name = "gemini-2.5-flash (scripted)"

    def __init__(self, inner: Model) -> None:
        self.inner = inner
        self.measure = Measure()

    def generate(self, request: Request) -> ModelTurn:
        sizes: Counter[str] = Counter()
        sizes["system"] = len(request.system)
        sizes["declarations"] = _chars(wire.to_tool(request.tools).model_dump(
            mode="json", exclude_none=True)) if request.tools else 0
        # the current question is the last user text; what precedes it is earlier conversation
        current = max(i for i, m in enumerate(request.history) if m.role == "user")
        for i, message in enumerate(request.history):
            size = _chars(wire.to_content(message).model_dump(mode="json", exclude_none=True))
            if i < current:
                sizes["earlier"] += size
            elif message.role == "user":
                sizes["question"] += size
            elif message.role == "model":
                sizes["model_turns"] += size
            elif all(r.name in METADATA for r in message.responses):
                sizes["metadata"] += size
            else:
                sizes["results"] += size
        self.measure.requests += 1
        self.measure.chars.update(sizes)
        self.measure.last_request = sum(sizes.values())
        return self.inner.generate(request)


def exploration(question: str, sql: str) -> ScriptedModel:
    """The turns a model takes for ``question`` whose answer is ``sql``, given the
    catalog: straight to get_table, with the verified-query search the instruction
    asks for before any SQL, in the same turn."""
    tables = sorted({t.name for t in sqlglot.parse_one(sql, read="bigquery").find_all(exp.Table)})
    return ScriptedModel(
        calls(*[("get_table", {"table_id": f"{DATASET}.{t}"}) for t in tables],
              ("search_verified_queries", {"question": question})),
        calls(("sql_query", {"query": sql})),
        text(f"Answer to '{question}': the figures come from "
             f"{', '.join(f'{DATASET}.{t}' for t in tables)} (query shown below)."),
    )


def questions(limit: int, path: Path = EVAL) -> list[tuple[str, str]]:
    if path.is_file():
        items = json.loads(path.read_text())
        return [(q["question"], q["gold"]) for q in items][:limit]
    return QUESTIONS[:limit]


def run(db: Path, limit: int) -> dict[str, Any]:
    settings = Settings(warehouse=f"duckdb:///{db}", allowed_datasets=(DATASET,))
    warehouse = DuckDBWarehouse(db, settings)
    per_question = []
    offline: list[tuple[str, Measure]] = []
    try:
        for question, sql in questions(limit):
            model = MeasuringModel(exploration(question, sql))
            Agent(model, warehouse, settings).ask(question)
            per_question.append((question, model.measure))
            planner = MeasuringModel(OfflinePlanner())
            Agent(planner, warehouse, settings).ask(question)
            offline.append((question, planner.measure))

        # the same questions as one conversation: earlier turns ride along, trimmed
        conversation: Conversation | None = None
        chat: list[tuple[str, Measure]] = []
        for question, sql in questions(limit):
            model = MeasuringModel(exploration(question, sql))
            _, conversation = Agent(model, warehouse, settings).ask(question, conversation)
            chat.append((question, model.measure))
    finally:
        warehouse.close()
    tables = [len({t.name for t in sqlglot.parse_one(sql, read="bigquery").find_all(exp.Table)})
              for _, sql in questions(limit)]
    return {"per_question": per_question, "offline": offline, "chat": chat, "tables": tables}


def _chars(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def report(results: dict[str, Any]) -> str:
    lines = []
    per_question: list[tuple[str, Measure]] = results["per_question"]
    head = f"{'question':<52} {'req':>3} " + " ".join(f"{p[:8]:>8}" for p in PARTS)
    for title, rows in (("scripted Gemini, catalog in the first request", per_question),
                        ("offline planner", results["offline"])):
        lines.append(f"Characters sent to the model per question ({title}; all requests):")
        lines.append(head + f" {'total':>8} {'~tokens':>8} {'last req':>8}")
        for question, m in rows:
            cells = " ".join(f"{m.chars[p]:>8}" for p in PARTS)
            lines.append(f"{question[:52]:<52} {m.requests:>3} {cells} {m.total:>8} "
                         f"{estimate_tokens(m.total):>8} {m.last_request:>8}")
        lines.append("")
    single = [m for (_, m), n in zip(per_question, results["tables"], strict=True) if n == 1]
    if single:
        calls_, tokens = (max(m.requests for m in single),
                          max(estimate_tokens(m.total) for m in single))
        met = calls_ <= TARGET_CALLS and tokens <= TARGET_TOKENS
        lines.append(f"single-table questions (scripted Gemini): at most {calls_} model calls "
                     f"and {tokens:,} tokens each (target ≤ {TARGET_CALLS} calls, ≤ "
                     f"{TARGET_TOKENS:,} tokens: {'met' if met else 'MISSED'})")
    totals = [m.total for _, m in per_question]
    lasts = [m.last_request for _, m in per_question]
    first = per_question[0][1]
    mean = sum(totals) / len(totals)
    lines.append("")
    lines.append(f"fixed per request: system instruction {first.chars['system'] // first.requests}"
                 f" chars, declarations {first.chars['declarations'] // first.requests} chars")
    lines.append(f"mean per question: {mean:,.0f} chars ≈ {estimate_tokens(round(mean)):,} tokens "
                 f"over {sum(m.requests for _, m in per_question) / len(per_question):.1f} "
                 f"requests; largest single request {max(lasts):,} chars ≈ "
                 f"{estimate_tokens(max(lasts)):,} tokens")
    chat: list[tuple[str, Measure]] = results["chat"]
    earlier = [m.chars["earlier"] // max(m.requests, 1) for _, m in chat]
    lines.append(f"one conversation of {len(chat)} questions: earlier turns per request grow "
                 f"{' → '.join(f'{e:,}' for e in earlier)} chars "
                 f"(budget {DEFAULT_BUDGET.max_chars:,} chars, {DEFAULT_BUDGET.max_exchanges} "
                 f"exchanges, {DEFAULT_BUDGET.full_exchanges} with results)")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="data/demo.duckdb",
                    help="demo warehouse; built at scale 0.01 in a temp dir when missing")
    ap.add_argument("--questions", type=int, default=12)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    db = Path(args.db)
    with tempfile.TemporaryDirectory() as tmp:
        if not db.is_file():
            from nl2sql.warehouse.demo import build_demo

            db = Path(build_demo(Path(tmp) / "demo.duckdb", scale=0.01, seed=42))
            print(f"{args.db} missing: using a scale-0.01 demo built in {db}", file=sys.stderr)
        results = run(db, args.questions)
    if args.json:
        print(json.dumps({
            kind: [{"question": q, "requests": m.requests, "chars": dict(m.chars),
                    "total_chars": m.total, "estimated_tokens": estimate_tokens(m.total),
                    "last_request_chars": m.last_request} for q, m in results[kind]]
            for kind in ("per_question", "offline", "chat")
        }, indent=1))
    else:
        print(report(results))


if __name__ == "__main__":
    main()
