"""Running reports: claim a slot, produce the result, write it, deliver it.

The order is what makes a run reviewable and never lost:

1. claim the slot in the run store (recorded before any work; exactly one
   process wins);
2. run the pinned SQL through the safety gate and the warehouse (no model), or
   ask the agent; any failure becomes a result with status ``failed``;
3. write that result to disk and record its path;
4. mark the run finished and deliver to every destination independently, each
   with retries and backoff. A destination that still fails is retried by a
   later ``report due`` from the file, never by running the query again.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from nl2sql.answer import Answer
from nl2sql.errors import ConfigError, Nl2SqlError
from nl2sql.reports.definitions import Report
from nl2sql.reports.delivery import DeliveryContext, send
from nl2sql.reports.result import ReportResult, pinned_answer
from nl2sql.reports.schedule import latest_slot, slot_key
from nl2sql.reports.store import Delivery, Heartbeat, Run, RunStore, iso
from nl2sql.runtime import Runtime

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliveryRetry:
    """Attempts within one round, and the wait between rounds (``report due`` calls)."""

    attempts: int = 3
    first_delay_s: float = 2.0
    max_delay_s: float = 30.0
    round_delay: timedelta = timedelta(minutes=1)
    max_round_delay: timedelta = timedelta(hours=1)
    give_up_after: timedelta = timedelta(hours=24)

    def delay(self, attempt: int) -> float:
        return float(min(self.first_delay_s * 2 ** (attempt - 1), self.max_delay_s))

    def next_round(self, rounds_done: int) -> timedelta:
        return min(self.round_delay * 2 ** max(rounds_done - 1, 0), self.max_round_delay)

    def retried_for(self, rounds_done: int) -> timedelta:
        """The least time ``rounds_done`` rounds can span: the sum of the waits
        between them (each ``report due`` comes at or after the wait)."""
        return sum((self.next_round(r) for r in range(1, rounds_done)), timedelta())


#: what ``due``/``run`` did about a slot
Action = Literal["ran", "took-over", "already-claimed", "superseded", "retried"]
QUIET = ("already-claimed", "superseded")  # nothing was done: listed only on request


@dataclass
class Outcome:
    """What ``due``/``run`` did about one report slot, for the CLI to print."""

    report: str
    slot: str
    action: Action
    run: Run | None = None
    deliveries: list[Delivery] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        bad_run = self.run is not None and self.run.status == "failed"
        return bad_run or any(d.status in ("failed", "gave_up") for d in self.deliveries)


def results_dir(state_db: str | Path) -> Path:
    """Result files live beside the state database: ``<dir>/report-results/``."""
    return Path(state_db).resolve().parent / "report-results"


class ReportRunner:
    def __init__(self, runtime: Runtime, store: RunStore, *,
                 env: Mapping[str, str] | None = None, retry: DeliveryRetry | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.runtime = runtime
        self.store = store
        self.retry = retry or DeliveryRetry()
        self.sleep = sleep
        self.context = DeliveryContext(runtime.settings, os.environ if env is None else env)
        self.results = results_dir(runtime.settings.state_db)

    # -- entry points ------------------------------------------------------------------

    def run_now(self, report: Report) -> Outcome:
        """``report run``: a manual run, its own slot, delivered now."""
        now = datetime.now(UTC)
        slot = "manual:" + now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        run = self.store.claim(report.name, slot, "manual", report.deliver)
        assert run is not None  # a microsecond slot of our own cannot be taken
        return self._carry_out(run, report, now, "ran")

    def due(self, reports: list[Report], now: datetime) -> list[Outcome]:
        """``report due``: runs left by dead owners, each report's latest slot at
        or before ``now`` that has not run, then deliveries due for a retry."""
        by_name = {r.name: r for r in reports}
        outcomes = []
        for stale in self.store.stale_runs():
            run = self.store.take_over(stale)
            if run is not None:
                outcomes.append(self._carry_out(run, by_name.get(run.report), now, "took-over"))
        for report in reports:
            slot = slot_key(latest_slot(report.schedule, report.timezone, now))
            newest = self.store.newest_scheduled_slot(report.name)
            if newest is not None and slot < newest:  # keys are ISO UTC: they sort by time
                # A later slot already ran (the schedule or time zone was edited
                # since): running this one now would deliver stale numbers after
                # newer ones.
                outcomes.append(Outcome(report.name, slot, "superseded"))
                continue
            run = self.store.claim(report.name, slot, "schedule", report.deliver)
            if run is None:
                outcomes.append(Outcome(report.name, slot, "already-claimed"))
            else:
                outcomes.append(self._carry_out(run, report, now, "ran"))
        outcomes += self.retry_deliveries(now)
        return outcomes

    def retry_deliveries(self, now: datetime) -> list[Outcome]:
        """Deliver again, from the result file, every delivery due another round."""
        outcomes: dict[int, Outcome] = {}
        for delivery in self.store.retryable(now):
            if not self.store.claim_delivery(delivery.id, now):
                continue  # another `report due` took it
            run = self.store.get_run(delivery.run_id)
            try:
                result = self._saved(run)
            except (OSError, ValueError, TypeError) as e:
                # Without the result there is nothing faithful to send; running the
                # query again would deliver different numbers under the old slot.
                self.store.delivery_failed(delivery.id, 0, f"result file unusable: {e}", None)
            else:
                self._deliver(delivery, result, run, now)
            outcome = outcomes.setdefault(run.id, Outcome(run.report, run.slot, "retried", run))
            outcome.deliveries.append(self._fresh(delivery))
        return list(outcomes.values())

    # -- one run -----------------------------------------------------------------------

    def _carry_out(self, run: Run, report: Report | None, now: datetime,
                   action: Action) -> Outcome:
        with Heartbeat(self.store.db, run.id, self.store.owner):
            result = self._earlier_result(run) or self._produce(run, report)
            if not self.store.finish(run.id, status=result.status, sql=result.sql,
                                     rows=len(result.rows) if result.columns else None,
                                     nbytes=result.bytes_processed, error=result.error):
                log.warning("report %s slot %s: lease lost; the new owner delivers",
                            run.report, run.slot)
                return Outcome(run.report, run.slot, action, self.store.get_run(run.id))
        mine = [d for d in self.store.get_run(run.id).deliveries if d.status == "sending"]
        if mine:
            # Destinations are independent: one slow or failing server must not
            # hold back the others.
            with ThreadPoolExecutor(max_workers=min(len(mine), 4)) as pool:
                list(pool.map(lambda d: self._deliver(d, result, run, now), mine))
        final = self.store.get_run(run.id)
        return Outcome(run.report, run.slot, action, final, final.deliveries)

    def _saved(self, run: Run) -> ReportResult:
        """The run's saved result: the copy kept in the state database, which every
        instance reads, else (runs recorded before it was kept there) the file."""
        text = self.store.saved_result(run.id)
        return ReportResult.from_json(text) if text else ReportResult.load(run.result_path or "")

    def _earlier_result(self, run: Run) -> ReportResult | None:
        """A taken-over run whose result was already written: deliver that one."""
        if not run.result_path:
            return None
        try:
            return self._saved(run)
        except (OSError, ValueError, TypeError):
            return None

    def _produce(self, run: Run, report: Report | None) -> ReportResult:
        result = ReportResult(report=run.report, question=report.question if report else "",
                              slot=run.slot, run_id=run.id, status="succeeded",
                              started_at=iso(datetime.now(UTC)))
        try:
            if report is None:
                raise ConfigError(f"report {run.report!r} is no longer defined")
            if report.sql:
                self._run_pinned(report, result)
            else:
                self._ask(report, result)
        except Nl2SqlError as e:
            result.status, result.error = "failed", e.message
        except Exception as e:  # noqa: BLE001 - a scheduler must record, not crash
            log.exception("report %s: unexpected failure", run.report)
            result.status, result.error = "failed", f"internal error: {type(e).__name__}: {e}"
        result.finished_at = iso(datetime.now(UTC))
        path = self.results / run.report / f"{run.id}-{result.slot_stamp}.json"
        try:
            result.save(path)
        except OSError as e:
            # Data that is not on disk is never delivered (a retry could not
            # send the same thing), but the run must not hang as 'running' to
            # be re-run every ten minutes: it fails, and says so, from memory.
            log.error("report %s: cannot save the result: %s", run.report, e)
            result.status = "failed"
            result.error = f"the result could not be saved before delivery: {e.strerror or e}"
            result.columns, result.rows = [], []
            return result
        self.store.set_result(run.id, str(path), result.to_json())
        return result

    def _labels(self, report: Report) -> dict[str, str]:
        return {"interface": "report", "report": report.name}

    def _run_pinned(self, report: Report, result: ReportResult) -> None:
        # Pinned SQL was reviewed, but the gate still decides: the policy may
        # have tightened since the SQL was pinned.
        data = self.runtime.run_sql(report.sql or "", labels=self._labels(report))
        result.take_answer(Answer(
            question=report.question, model="", sql=report.sql,
            answer=pinned_answer(data.columns, data.rows, data.truncated),
            columns=data.columns, rows=data.rows, truncated=data.truncated,
            bytes_processed=data.bytes_processed))

    def _ask(self, report: Report, result: ReportResult) -> None:
        answer, _ = self.runtime.agent(labels=self._labels(report)).ask(report.question)
        result.take_answer(answer)
        if not answer.answered:
            result.status = "failed"
            result.error = f"the model could not answer: {answer.answer}"
        elif answer.sql is None:
            # A report promises numbers; a reply that ran no query (a clarifying
            # question, say) is a failure to announce, not a success without data.
            result.status = "failed"
            result.error = ("the model ran no query, so there are no numbers to report "
                            f"(it said: {answer.answer}); pin SQL with `nl2sql report pin`")

    # -- one delivery ------------------------------------------------------------------

    def _deliver(self, delivery: Delivery, result: ReportResult, run: Run,
                 now: datetime) -> None:
        error = ""
        attempt = 0
        while attempt < self.retry.attempts:
            attempt += 1
            try:
                send(delivery.destination, result, self.context)
            except ConfigError as e:
                error = e.message
                break  # a missing variable or server setting will not fix itself in seconds
            except Exception as e:  # noqa: BLE001 - every failure is recorded, none is fatal
                error = e.message if isinstance(e, Nl2SqlError) else f"{type(e).__name__}: {e}"
                log.warning("report %s: %s attempt %d failed: %s", run.report, delivery.label,
                            attempt, error)
                if attempt < self.retry.attempts:
                    self.sleep(self.retry.delay(attempt))
            else:
                self.store.delivered(delivery.id, attempt)
                return
        # The retry window is counted in rounds, not from the slot: a run that
        # starts late (a catch-up after downtime, a weekly report days old)
        # would otherwise give up after its very first round. Counting rounds
        # also needs no clock, so `report due --now` and retries never disagree.
        rounds = delivery.rounds + 1
        wait = self.retry.next_round(rounds)
        retry_at: datetime | None = now + wait
        if self.retry.retried_for(rounds) + wait > self.retry.give_up_after:
            retry_at = None
        self.store.delivery_failed(delivery.id, attempt, error, retry_at)

    def _fresh(self, delivery: Delivery) -> Delivery:
        run = self.store.get_run(delivery.run_id)
        return next(d for d in run.deliveries if d.id == delivery.id)
