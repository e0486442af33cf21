"""`report serve`'s loop in-process: it re-reads the file every tick, keeps the
last good definitions when an edit breaks it, and stops when asked."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from nl2sql.config import Settings
from nl2sql.models.scripted import ScriptedModel
from nl2sql.reports.definitions import load_reports
from nl2sql.reports.runner import Outcome, ReportRunner
from nl2sql.reports.scheduler import serve
from nl2sql.reports.store import RunStore
from nl2sql.runtime import Runtime
from tests.reports.conftest import COUNT_SQL, WebhookReceiver, definitions, report_yaml

HOOK = "- slack_webhook: ${SLACK_WEBHOOK_URL}"


def _wait_for(condition: Callable[[], bool], timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_serve_rereads_keeps_the_last_good_file_and_stops(
        report_settings: Settings, webhook: WebhookReceiver,
        caplog: pytest.LogCaptureFixture) -> None:
    path = Path(report_settings.reports)
    path.write_text(definitions(report_yaml("first", sql=COUNT_SQL, schedule="* * * * *",
                                            deliver=HOOK)))
    store = RunStore(report_settings.state_db)
    runner = ReportRunner(Runtime(report_settings, model=ScriptedModel()), store,
                          env={"SLACK_WEBHOOK_URL": webhook.url})
    ticks: list[list[Outcome]] = []
    stop = threading.Event()
    loop = threading.Thread(target=serve, args=(lambda: load_reports(path), runner, stop),
                            kwargs={"interval_s": 0.1, "on_outcomes": ticks.append})
    loop.start()
    try:
        _wait_for(lambda: any(o.report == "first" and o.action == "ran"
                              for tick in ticks for o in tick))

        # An added report is picked up at the next tick, without a restart.
        path.write_text(definitions(
            report_yaml("first", sql=COUNT_SQL, schedule="* * * * *", deliver=HOOK),
            report_yaml("second", sql=COUNT_SQL, schedule="* * * * *", deliver=HOOK)))
        _wait_for(lambda: any(o.report == "second" for tick in ticks for o in tick))

        # A broken edit is logged; the last good definitions keep running.
        path.write_text("reports: [\n")
        seen = len(ticks)
        _wait_for(lambda: "keeping the previous definitions" in caplog.text
                  and len(ticks) > seen + 1)
        assert {o.report for o in ticks[-1]} == {"first", "second"}
    finally:
        stop.set()
        loop.join(timeout=10)
        store.close()
    assert not loop.is_alive()  # stopped at the end of its tick
