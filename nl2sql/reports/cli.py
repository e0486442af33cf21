"""``nl2sql report ...``: validate, run, pin, due, serve and history.

Every command reads the definitions from ``--config`` or ``NL2SQL_REPORTS``
and the run store from ``NL2SQL_STATE_DB``. A caller may pass a ready
``Runtime`` as click's context object (tests, embedding); otherwise one is
built from the environment, and it opens the warehouse and model only when a
run needs them.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import click

from nl2sql.config import Settings
from nl2sql.errors import BadRequest
from nl2sql.reports.definitions import (
    find_report,
    load_reports,
    validate_reports,
)
from nl2sql.reports.pin import pin_sql
from nl2sql.reports.result import ReportResult
from nl2sql.reports.runner import QUIET, Outcome, ReportRunner
from nl2sql.reports.schedule import next_slot, parse_now
from nl2sql.reports.store import RunStore
from nl2sql.runtime import Runtime
from nl2sql.state.db import redact

F = TypeVar("F", bound=Callable[..., Any])


def config_option(f: F) -> F:
    return click.option(
        "--config", "config", type=click.Path(dir_okay=False), default=None,
        help="Report definitions file (default: $NL2SQL_REPORTS, else reports.yaml).")(f)


def _runtime() -> Runtime:
    given = click.get_current_context().find_object(Runtime)
    return given if given is not None else Runtime(Settings.from_env())


def _settings() -> Settings:
    """Settings alone, for the commands that open no warehouse and no model."""
    given = click.get_current_context().find_object(Runtime)
    return given.settings if given is not None else Settings.from_env()


def _config(settings: Settings, config: str | None) -> Path:
    return Path(config or settings.reports)


@contextmanager
def _runner(runtime: Runtime) -> Iterator[ReportRunner]:
    store = RunStore(runtime.settings.resolved_state_url())
    try:
        yield ReportRunner(runtime, store)
    finally:
        store.close()
        if click.get_current_context().find_object(Runtime) is None:
            runtime.close()  # ours to close; a runtime handed to us is the caller's


def _describe(outcome: Outcome) -> str:
    head = f"{outcome.report} {outcome.slot}: {outcome.action}"
    run = outcome.run
    if outcome.action in QUIET or run is None:
        return head
    parts = [run.status]
    if run.status == "failed":
        parts.append(f"error: {run.error}")
    elif run.rows is not None and outcome.action != "retried":
        parts.append(f"{run.rows} row{'s' if run.rows != 1 else ''}")
    for d in outcome.deliveries:
        parts.append(f"{d.label} {d.status}" + (f" ({d.error})" if d.error else ""))
    return f"{head}; " + "; ".join(parts)


@click.group("report", short_help="Scheduled reports: run, deliver, pin and list them.")
def report() -> None:
    """Scheduled reports: questions answered on a schedule and delivered."""


@report.command()
@config_option
@click.option("--strict", is_flag=True,
              help="Also fail when the environment lacks what a delivery needs (deploy checks).")
def validate(config: str | None, strict: bool) -> None:
    """Check the definitions: schema, cron, time zones, ${VAR}s, pinned SQL through the gate."""
    settings = _settings()
    path = _config(settings, config)
    reports, problems = validate_reports(path, settings, os.environ)
    wrong = [p for p in problems if not p.environment]
    missing = [p for p in problems if p.environment]
    for p in wrong:
        click.echo(f"{path}: {p}", err=True)
    for p in missing:
        click.echo(f"{path}: warning: {p} (the file is fine; set it where reports run)", err=True)
    if wrong or (strict and missing):
        click.echo(f"{path}: {len(wrong)} problem(s) in the file, {len(missing)} in the "
                   "environment", err=True)
        sys.exit(1)
    now = parse_now(None)
    for r in reports:
        nxt = next_slot(r.schedule, r.timezone, now)
        local = nxt.astimezone(ZoneInfo(r.timezone))
        source = "pinned SQL" if r.sql else "asks the model"
        click.echo(f"{r.name}: {source}; next run {local:%Y-%m-%d %H:%M} {r.timezone}; "
                   f"{len(r.deliver)} destination(s)")
    note = f"; {len(missing)} warning(s) about the environment" if missing else ""
    click.echo(f"{path}: ok, {len(reports)} report(s){note}")


@report.command()
@click.argument("name")
@config_option
def run(name: str, config: str | None) -> None:
    """Run report NAME now and deliver it."""
    target = find_report(load_reports(_config(_settings(), config)), name)
    runtime = _runtime()
    with _runner(runtime) as runner:
        outcome = runner.run_now(target)
    click.echo(_describe(outcome))
    sys.exit(1 if outcome.failed else 0)


@report.command()
@click.argument("name")
@config_option
@click.option("--yes", is_flag=True, help="Write the SQL without asking.")
def pin(name: str, config: str | None, yes: bool) -> None:
    """Ask NAME's question once, show the SQL and result, and pin the SQL in the file."""
    path = _config(_settings(), config)
    target = find_report(load_reports(path), name)
    runtime = _runtime()
    try:
        answer, _ = runtime.agent(labels={"interface": "report", "report": name}) \
            .ask(target.question)
    finally:
        if click.get_current_context().find_object(Runtime) is None:
            runtime.close()
    if not answer.answered or not answer.sql:
        raise BadRequest(f"nothing to pin: the model ran no SQL for {name!r}. "
                         f"It said: {answer.answer}")
    shown = ReportResult(report=name, question=target.question, slot="", run_id=0,
                         status="succeeded")
    shown.take_answer(answer)
    click.echo(f"Question: {target.question}\nAnswer:   {answer.answer}\n")
    click.echo(f"SQL:\n{answer.sql}\n")
    click.echo(shown.text_table(limit=10) + "\n")
    if target.sql:
        click.echo(f"This replaces the SQL pinned now:\n{target.sql}\n")
    if not yes and not click.confirm(f"Pin this SQL in {path}?", default=False):
        click.echo("not pinned")
        sys.exit(1)
    pin_sql(path, name, answer.sql)
    click.echo(f"pinned {name} in {path}; scheduled runs now use this SQL without the model")


@report.command()
@config_option
@click.option("--now", "now_text", default=None,
              help="Evaluate schedules at this ISO 8601 time (default: the clock; "
                   "no offset means UTC).")
@click.option("-v", "--verbose", is_flag=True, help="Also list slots that already ran.")
def due(config: str | None, now_text: str | None, verbose: bool) -> None:
    """Run every report whose latest slot at or before now has not run; retry failed deliveries.

    Meant for cron, Cloud Scheduler or a Kubernetes CronJob every minute; several
    callers at once are safe.
    """
    try:
        now = parse_now(now_text)
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="--now") from None
    reports = load_reports(_config(_settings(), config))
    runtime = _runtime()
    with _runner(runtime) as runner:
        outcomes = runner.due(reports, now)
    for o in outcomes:
        if verbose or o.action not in QUIET:
            click.echo(_describe(o))
    sys.exit(1 if any(o.failed for o in outcomes) else 0)


@report.command()
@config_option
@click.option("--interval", default=60.0, show_default=True, type=float,
              help="Seconds between checks.")
def serve(config: str | None, interval: float) -> None:
    """Run the scheduler in this process until SIGTERM or Ctrl-C."""
    from nl2sql.reports.scheduler import serve as serve_loop

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    runtime = _runtime()
    path = _config(runtime.settings, config)
    stop = threading.Event()
    # Finish the tick in progress, then stop: a report is never cut mid-delivery.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())

    def show(outcomes: list[Outcome]) -> None:
        for o in outcomes:
            if o.action not in QUIET:
                click.echo(_describe(o))

    click.echo(f"serving {path} (state {redact(runtime.settings.resolved_state_url())}); "
               "stop with Ctrl-C")
    with _runner(runtime) as runner:
        serve_loop(lambda: load_reports(path), runner, stop, interval_s=interval,
                   on_outcomes=show)
    click.echo("stopped")


@report.command()
@click.argument("name")
@click.option("--limit", default=20, show_default=True, type=int, help="Most recent runs.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def history(name: str, limit: int, as_json: bool) -> None:
    """Past runs of NAME: slot, start, end, status, rows, bytes, deliveries, error."""
    store = RunStore(_settings().resolved_state_url())
    try:
        runs = store.history(name, limit)
    finally:
        store.close()
    if as_json:
        for r in runs:
            d = {k: v for k, v in vars(r).items() if k not in ("deliveries", "owner")}
            d["deliveries"] = [{"destination": x.label, "status": x.status,
                                "attempts": x.attempts, "error": x.error,
                                "delivered_at": x.delivered_at} for x in r.deliveries]
            click.echo(json.dumps(d))
        return
    if not runs:
        click.echo(f"no runs of {name!r} yet")
        return
    header = ("slot", "start", "end", "status", "rows", "bytes", "deliveries", "error")
    table = [header] + [(
        r.slot, r.started_at, r.finished_at or "-", r.status,
        "-" if r.rows is None else str(r.rows), "-" if r.bytes is None else str(r.bytes),
        ", ".join(f"{d.label}={d.status}" for d in r.deliveries) or "-",
        _one_line(r.error) or _one_line(next((d.error for d in r.deliveries if d.error), "")),
    ) for r in runs]
    widths = [max(len(row[i]) for row in table) for i in range(len(header) - 1)]
    for row in table:
        cells = [c.ljust(w) for c, w in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, row[-1]]).rstrip())


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())[:160]
