"""The offline planner: a deterministic model that explores metadata with the tools.

It needs no network and speaks the same protocol as Gemini. Each turn is a pure
function of the conversation since the latest question:

1. ``list_datasets``, and ``search_verified_queries`` with the question: a
   verified pair asking the same question is run as it is and named in the
   answer (nl2sql/models/planner/verified.py); otherwise the planner goes on;
2. ``list_tables`` for the candidate datasets (in parallel);
3. ``get_table`` (in parallel) for the tables the question names — or, when it
   names none, those whose descriptions use its words; then, for words still
   unplaced, the tables key columns reach, then tables whose descriptions mention
   them, and only as a last resort the rest of the dataset;
4. one lookup query for unplaced words that may be values (``Texas``);
5. one GoogleSQL query built from the plan; after an error, one defensive retry;
6. a short answer naming the numbers and where they come from.

It knows no schema: everything comes from names, descriptions, types and
example values the tools return. When it cannot map a question it says so,
suggests questions it can answer, and finishes with ``UNANSWERED``; text that
reads as SQL statements rather than a question is declined without a tool call.
"""

from __future__ import annotations

import re
from typing import Any

from nl2sql.errors import ModelError
from nl2sql.interpretation import Interpretation
from nl2sql.models.base import UNANSWERED, FunctionCall, Message, Model, ModelTurn, Request
from nl2sql.models.planner.audit import audit
from nl2sql.models.planner.catalog import (
    LOOKUP_ID,
    PROBE_ID,
    QUERY_ID,
    REPAIR_ID,
    Catalog,
    Exchange,
    Round,
    read_round,
)
from nl2sql.models.planner.explain import interpretation
from nl2sql.models.planner.keyprobe import pending, probe_sql
from nl2sql.models.planner.phrasing import answer_text, decline_text
from nl2sql.models.planner.resolve import Understanding, understand
from nl2sql.models.planner.setsql import describe_condition
from nl2sql.models.planner.sqlbuild import lookup_sql, to_sql
from nl2sql.models.planner.ties import TIE_ID, tie_probe, tie_text, tied
from nl2sql.models.planner.verified import (
    SEARCH,
    SEARCH_ID,
    VERIFIED_ID,
    Reuse,
    pick,
    reuse_interpretation,
    reuse_text,
)
from nl2sql.models.planner.words import text_words, tokenize

MAX_DATASETS = 4  # list_tables calls in one turn (see MAX_CALLS_PER_TURN)
MAX_DESCRIBE_ROUNDS = 3
MAX_PROBES = 2  # key probes in one round (keyprobe.py): new tables described may need one
# Calls asked for in one turn: the agent runs at most NL2SQL_MAX_CALLS_PER_TURN (4 by
# default) and refuses the rest with "not run: ..."; refused calls are asked again.
MAX_CALLS_PER_TURN = 4
NOT_RUN = "not run:"

# Input that reads as SQL statements rather than a question: a statement after a
# semicolon, a comment marker where SQL puts one (first, after a quote or semicolon,
# or after a SELECT), or a line that starts like a write statement. A lone " -- " is
# left alone: people type it as a dash ("Sales -- by region").
_SQL_INPUT = re.compile(
    r";\s*(?:DROP|DELETE|INSERT|UPDATE|ALTER|TRUNCATE|GRANT|REVOKE|CREATE|MERGE|SELECT|EXEC)\b"
    r"|^\s*--|[;'\"]\s*--|^\s*SELECT\b.*--"
    r"|^\s*(?:(?:DROP|ALTER|TRUNCATE)\s+(?:TABLE|SCHEMA|DATABASE|VIEW)|DELETE\s+FROM"
    r"|INSERT\s+INTO|UPDATE\s+\S+\s+SET|GRANT\s+\w+\s+ON)\b",
    re.IGNORECASE)


def looks_like_sql(text: str) -> bool:
    """``'; DROP TABLE users; --``: statements, not a question."""
    return _SQL_INPUT.search(text) is not None


class OfflinePlanner(Model):
    name = "offline"
    reads_whole_history = True  # stateless: column descriptions must read the same each turn

    def generate(self, request: Request) -> ModelTurn:
        try:
            rnd = read_round(request.history)
            return _Turn(rnd, Catalog.from_round(rnd), request).next()
        except Exception as e:  # noqa: BLE001 - a planner bug must reach users as one sentence
            raise ModelError(f"the offline planner failed: {type(e).__name__}: {e}") from e


class _Turn:
    def __init__(self, rnd: Round, catalog: Catalog, request: Request) -> None:
        self.rnd = rnd
        self.catalog = catalog
        self.request = request

    # -- replies -----------------------------------------------------------------

    def call(self, *calls: tuple[str, dict[str, Any], str]) -> ModelTurn:
        allowed = self.request.allowed_functions
        if self.request.tool_mode == "NONE" or (
                allowed is not None and any(name not in allowed for name, _, _ in calls)):
            return self.out_of_steps()
        n = self.rnd.turns + 1
        return ModelTurn(Message("model", calls=[
            FunctionCall(name, args, id=f"{prefix}-{n}-{i}")
            for i, (name, args, prefix) in enumerate(calls)]))

    def say(self, text: str, read: Interpretation | None = None) -> ModelTurn:
        return ModelTurn(Message("model", text=text), finish_reason="STOP", interpretation=read)

    def decline(self, text: str, read: Interpretation | None = None) -> ModelTurn:
        return ModelTurn(Message("model", text=text), finish_reason=UNANSWERED,
                         interpretation=read)

    def out_of_steps(self) -> ModelTurn:
        reuse, ran = self._reuse(), self.rnd.queries(VERIFIED_ID)
        if reuse is not None and ran and ran[-1].error is None and not self._last_query():
            return self._answer_reused(reuse, ran[-1])
        done = self._last_query()
        if done is not None and done.error is None:
            return self._answer(done)
        return self.decline("I could not finish exploring the data within the allowed steps; "
                            "try a narrower question.")

    # -- the plan of turns -----------------------------------------------------------

    def next(self) -> ModelTurn:
        rnd, cat = self.rnd, self.catalog
        if not rnd.question.strip():
            return self.decline("Ask me a question about the data.")
        if looks_like_sql(rnd.question):
            return self.decline("I answer questions asked in plain language, not SQL "
                                "statements; ask me about the data in words.")
        if not rnd.calls("list_datasets"):
            return self.call(("list_datasets", {}, "list_datasets"), *self._search())
        listed = rnd.calls("list_datasets")[-1]
        if listed.error is not None:
            return self.decline(f"I could not list the datasets: {listed.error}")
        if not cat.datasets:
            return self.decline("No datasets are available to me, so I cannot answer.")
        reuse = self._reuse()
        if reuse is not None and not rnd.queries(QUERY_ID):
            ran = rnd.queries(VERIFIED_ID)
            if not ran:
                return self.call(("sql_query", {"query": reuse.sql}, VERIFIED_ID))
            if ran[-1].error is None:
                return self._answer_reused(reuse, ran[-1])
            # the pair's SQL failed here (a table since renamed, say): plan it afresh
        if not rnd.calls("list_tables"):
            return self.call(*[("list_tables", {"dataset_id": d}, "list_tables")
                               for d in self._datasets()[:MAX_CALLS_PER_TURN]])
        u = understand(rnd.question, cat, rnd.previous)
        asked = {str(e.call.args.get("table_id", "")).lower() for e in rnd.calls("get_table")
                 if not (e.error or "").startswith(NOT_RUN)}
        missing = [t for t in u.missing if t.id.lower() not in asked]
        if missing and rnd.turns_calling("get_table") < MAX_DESCRIBE_ROUNDS + 2:
            return self.call(*[("get_table", {"table_id": t.id}, "get_table")
                               for t in missing[:MAX_CALLS_PER_TURN]])
        probe = probe_sql(pending(cat)) if len(rnd.queries(PROBE_ID)) < MAX_PROBES else None
        if probe is not None and not rnd.queries(QUERY_ID):  # keys no name places
            return self.call(("sql_query", {"query": probe}, PROBE_ID))
        if u.plan is not None and u.lookup and not rnd.queries(LOOKUP_ID):
            sql = lookup_sql(u.lookup, u.lookup_tables, u.lookup_stems)
            if sql is not None:
                return self.call(("sql_query", {"query": sql}, LOOKUP_ID))
        if u.plan is None:
            return self.decline(decline_text(u.problem or "I could not map the question to "
                                             "the tables I found", cat, u.mentioned))
        if u.plan.unknown_values:  # capitalised or quoted, yet found nowhere: not guessing
            unknown = ", ".join(f"'{w}'" for w in u.plan.unknown_values)
            where = ", ".join(t.id for t in u.lookup_tables)
            return self.decline(decline_text(
                f"I could not find {unknown} in {where}", cat, u.mentioned))
        if not self.rnd.queries(QUERY_ID) and u.parsed is not None:
            checked = audit(u.parsed.toks, u.parsed, u.readings, u.plan, cat, u.followup)
            if not checked.ok:
                return self.decline(decline_text(checked.reason(), cat, u.mentioned),
                                    interpretation(u.plan, checked.unused, u.corrections))
        return self._query_step(u)

    def _search(self) -> list[tuple[str, dict[str, Any], str]]:
        """The verified-pairs search, when the request declares and allows it."""
        allowed = self.request.allowed_functions
        if (not any(d.get("name") == SEARCH for d in self.request.tools)
                or (allowed is not None and SEARCH not in allowed)):
            return []
        return [(SEARCH, {"question": self.rnd.question}, SEARCH_ID)]

    def _reuse(self) -> Reuse | None:
        """The verified pair asking this very question, over a dataset listed here."""
        found = [e for e in self.rnd.calls(SEARCH) if e.error is None]
        if not found:
            return None
        datasets = {d.lower() for d, _ in self.catalog.datasets}
        return pick(self.rnd.question, found[-1].output, datasets)

    def _answer_reused(self, reuse: Reuse, done: Exchange) -> ModelTurn:
        out = done.output if isinstance(done.output, dict) else {}
        text = reuse_text(reuse, list(out.get("columns") or []), list(out.get("rows") or []),
                          bool(out.get("truncated")))
        return self.say(text, reuse_interpretation(reuse))

    def _datasets(self) -> list[str]:
        ids = [d for d, _ in self.catalog.datasets]
        if len(ids) <= MAX_DATASETS:
            return ids
        q = {t.stem for t in tokenize(self.rnd.question + " " + " ".join(self.rnd.previous))}
        scored = sorted(((len(q & (text_words(desc) | text_words(d.replace("_", " ")))), i, d)
                         for i, (d, desc) in enumerate(self.catalog.datasets)),
                        key=lambda x: (-x[0], x[1]))
        best = [d for s, _, d in scored if s > 0]
        return best[:MAX_DATASETS] or ids[:MAX_DATASETS]

    def _last_query(self) -> Exchange | None:
        runs = self.rnd.queries(QUERY_ID) + self.rnd.queries(REPAIR_ID)
        return runs[-1] if runs else None

    def _query_step(self, u: Understanding) -> ModelTurn:
        assert u.plan is not None
        first = self.rnd.queries(QUERY_ID)
        if not first:
            return self._tie_check(u) or self.call(
                ("sql_query", {"query": to_sql(u.plan)}, QUERY_ID))
        last = self._last_query()
        assert last is not None
        if last.error is None:
            return self._answer(last, u)
        if not self.rnd.queries(REPAIR_ID):
            retry = to_sql(u.plan, defensive=True)
            if retry != first[-1].call.args.get("query"):
                return self.call(("sql_query", {"query": retry}, REPAIR_ID))
        return self.decline(f"The query I wrote failed and I could not repair it: {last.error}")

    def _tie_check(self, u: Understanding) -> ModelTurn | None:
        """A ranking cut off inside a tie declines (ties.py). The probe runs before the
        query itself, so the answer's rows stay those of the query it shows."""
        assert u.plan is not None
        if u.plan.limit is None:
            return None
        checks = self.rnd.queries(TIE_ID)
        if not checks:
            probe = tie_probe(u.plan, to_sql(u.plan))
            return self.call(("sql_query", {"query": probe}, TIE_ID)) if probe else None
        seen = checks[-1].output if isinstance(checks[-1].output, dict) else {}
        if checks[-1].error is not None or not seen:
            return None  # the probe failed: the query itself runs and answers
        columns, rows = list(seen.get("columns") or []), list(seen.get("rows") or [])
        same = tied(u.plan, columns, rows)
        if same is None:
            return None
        return self.decline(decline_text(tie_text(u.plan, columns, rows, same), self.catalog,
                                         u.mentioned),
                            interpretation(u.plan, corrections=u.corrections))

    def _answer(self, done: Exchange, u: Understanding | None = None) -> ModelTurn:
        out = done.output if isinstance(done.output, dict) else {}
        if u is None:
            u = understand(self.rnd.question, self.catalog, self.rnd.previous)
        if u.plan is None:
            return self.say(f"The query returned {len(out.get('rows') or [])} rows.")
        conditions = tuple(describe_condition(c, u.plan, how=False) for c in u.plan.conditions)
        text = answer_text(u.plan, list(out.get("columns") or []), list(out.get("rows") or []),
                           bool(out.get("truncated")), conditions, _row_total(out))
        return self.say(text, interpretation(u.plan, corrections=u.corrections))


def _row_total(out: dict[str, Any]) -> int:
    """How many rows the result has: the model is sent its first rows only, with
    per-column statistics over all of them (model_view.py), non-null count plus nulls."""
    stats = out.get("column_stats")
    first = next(iter(stats.values()), None) if isinstance(stats, dict) else None
    if isinstance(first, dict):
        return int(first.get("count") or 0) + int(first.get("nulls") or 0)
    return len(out.get("rows") or [])
