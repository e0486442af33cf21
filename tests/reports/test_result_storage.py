"""A run's result is kept in the state database, so a delivery retried on another
instance — another Cloud Run Job execution, with a fresh disk — sends exactly what
the first instance produced. Runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

from nl2sql.config import Settings
from nl2sql.models.scripted import ScriptedModel
from nl2sql.reports.definitions import load_reports
from nl2sql.reports.runner import ReportRunner
from nl2sql.reports.store import RunStore
from nl2sql.runtime import Runtime
from tests.reports.conftest import WebhookReceiver, report_yaml
from tests.reports.test_runner import FAST, SLOT_NOW, write


def _instance(settings: Settings, state_url: str, disk: Path,
              webhook: WebhookReceiver) -> ReportRunner:
    """One instance: its own local disk (where result files go), the shared state."""
    own = settings.with_(state_db=str(disk / "state.sqlite3"), state_url=state_url)
    return ReportRunner(Runtime(own, model=ScriptedModel()), RunStore(state_url),
                        env={"SLACK_WEBHOOK_URL": webhook.url}, retry=FAST)


def test_a_retry_on_another_instance_delivers_the_first_instances_result(
        report_settings: Settings, webhook: WebhookReceiver, state_url: str,
        tmp_path: Path) -> None:
    path = write(report_settings, report_yaml(
        "by-status", deliver="- slack_webhook: ${SLACK_WEBHOOK_URL}"))
    first = _instance(report_settings, state_url, tmp_path / "a", webhook)
    webhook.fail_next(3)  # every attempt of the first round
    (outcome,) = first.due(load_reports(path), SLOT_NOW)
    assert outcome.run is not None and outcome.run.status == "succeeded"
    assert [d.status for d in outcome.deliveries] == ["failed"]
    written = json.loads(Path(outcome.run.result_path or "").read_text())

    first.runtime.close()
    first.store.close()
    shutil.rmtree(tmp_path / "a")  # that instance, and its disk, are gone
    second = _instance(report_settings, state_url, tmp_path / "b", webhook)
    try:
        (retried,) = second.retry_deliveries(SLOT_NOW + timedelta(minutes=2))
    finally:
        second.runtime.close()
        second.store.close()
    assert [d.status for d in retried.deliveries] == ["delivered"], retried.deliveries
    (post,) = webhook.posts
    body = json.dumps(post)
    for status, n in written["rows"]:
        assert status in body and str(n) in body
    assert not (tmp_path / "b" / "report-results").exists()  # nothing ran again there
