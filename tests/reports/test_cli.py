"""`nl2sql report ...` through the real CLI: in-process, and as concurrent processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from nl2sql.cli import main
from nl2sql.config import Settings
from nl2sql.models.scripted import ScriptedModel, calls, text
from nl2sql.runtime import Runtime
from tests.reports.conftest import (
    BY_STATUS_SQL,
    COUNT_SQL,
    Mailbox,
    WebhookReceiver,
    definitions,
    report_yaml,
)

HOOK = "- slack_webhook: ${SLACK_WEBHOOK_URL}"


def invoke(runtime: Runtime, args: list[str], webhook: WebhookReceiver,
           stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["report", *args], obj=runtime, input=stdin,
                                env={"SLACK_WEBHOOK_URL": webhook.url})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def runtime(report_settings: Settings) -> Runtime:
    return Runtime(report_settings, model=ScriptedModel())


def test_validate_good_and_bad_files(runtime: Runtime, report_settings: Settings,
                                     webhook: WebhookReceiver) -> None:
    path = Path(report_settings.reports)
    path.write_text(definitions(report_yaml("by-status", deliver=HOOK)))
    code, out, _ = invoke(runtime, ["validate"], webhook)
    assert code == 0, out
    assert "by-status: pinned SQL; next run " in out and "Europe/Lisbon" in out
    assert out.strip().endswith("ok, 1 report(s)")

    bad = tmp = path.parent / "bad.yaml"
    tmp.write_text(definitions(
        report_yaml("by-status", schedule="0 8 * * 8", timezone="Mars/Olympus", deliver=HOOK),
        report_yaml("unsafe", sql="DELETE FROM shop.purchases", deliver=HOOK)))
    code, _, err = invoke(runtime, ["validate", "--config", str(bad)], webhook)
    assert code == 1
    lines = err.strip().splitlines()
    assert lines[0].startswith(f"{bad}: by-status: schedule: '0 8 * * 8' is not a valid cron")
    assert lines[1].startswith(f"{bad}: by-status: timezone: 'Mars/Olympus'")
    # the SQL is checked once the shape is right
    assert lines[-1] == f"{bad}: 2 problem(s) in the file, 0 in the environment"


def test_validate_separates_a_wrong_file_from_a_missing_environment(
        runtime: Runtime, report_settings: Settings) -> None:
    path = Path(report_settings.reports)
    path.write_text(definitions(report_yaml("by-status", deliver=HOOK)))
    unset = CliRunner().invoke(main, ["report", "validate"], obj=runtime,
                               env={"SLACK_WEBHOOK_URL": ""})
    # The file is right: it validates, with a warning naming what this machine lacks.
    assert unset.exit_code == 0, unset.output
    assert "warning: by-status: deliver[0].slack_webhook: environment variable " \
           "SLACK_WEBHOOK_URL is not set (the file is fine" in unset.stderr
    assert unset.stdout.strip().endswith("ok, 1 report(s); 1 warning(s) about the environment")
    strict = CliRunner().invoke(main, ["report", "validate", "--strict"], obj=runtime,
                                env={"SLACK_WEBHOOK_URL": ""})
    assert strict.exit_code == 1
    assert strict.stderr.strip().endswith("0 problem(s) in the file, 1 in the environment")

    path.write_text(definitions(report_yaml("by-status", timezone="Mars/Olympus", deliver=HOOK)))
    both = CliRunner().invoke(main, ["report", "validate"], obj=runtime,
                              env={"SLACK_WEBHOOK_URL": ""})
    assert both.exit_code == 1
    assert "by-status: timezone: 'Mars/Olympus'" in both.stderr
    assert both.stderr.strip().endswith("1 problem(s) in the file, 0 in the environment")


def test_the_shipped_example_validates_on_a_fresh_machine() -> None:
    example = Path(__file__).parents[2] / "examples" / "reports.yaml"
    result = CliRunner().invoke(main, ["report", "validate", "--config", str(example)],
                                env={"SLACK_WEBHOOK_URL": "", "NL2SQL_SMTP_URL": ""})
    assert result.exit_code == 0, result.output
    assert "SLACK_WEBHOOK_URL is not set" in result.stderr
    assert "ok, 2 report(s)" in result.stdout


def test_validate_reports_unsafe_pinned_sql(runtime: Runtime, report_settings: Settings,
                                            webhook: WebhookReceiver) -> None:
    Path(report_settings.reports).write_text(definitions(
        report_yaml("unsafe", sql="DELETE FROM shop.purchases", deliver=HOOK)))
    code, _, err = invoke(runtime, ["validate"], webhook)
    assert code == 1
    assert "unsafe: sql: rejected by the safety gate" in err


def test_run_then_history(runtime: Runtime, report_settings: Settings,
                          webhook: WebhookReceiver, smtp: tuple[Mailbox, int]) -> None:
    Path(report_settings.reports).write_text(definitions(report_yaml("by-status", deliver=f"""\
{HOOK}
- email: {{to: [ana@example.com]}}
""")))
    code, out, err = invoke(runtime, ["run", "by-status"], webhook)
    assert code == 0, out + err
    assert "by-status manual:" in out and "succeeded; 2 rows" in out
    assert "slack_webhook:${SLACK_WEBHOOK_URL} delivered" in out
    assert "email:ana@example.com delivered" in out
    assert len(webhook.posts) == 1 and len(smtp[0].messages) == 1

    # A broken query, announced to a destination whose variable is not set:
    # both failures end up in history.
    Path(report_settings.reports).write_text(definitions(report_yaml(
        "by-status", sql="SELECT nope FROM shop.purchases", deliver="- slack_webhook: ${NO_HOOK}")))
    code, out, _ = invoke(runtime, ["run", "by-status"], webhook)
    assert code == 1 and "failed; error:" in out

    code, out, _ = invoke(runtime, ["history", "by-status"], webhook)
    assert code == 0
    header, newest, oldest = out.strip().splitlines()
    assert header.split() == ["slot", "start", "end", "status", "rows", "bytes", "deliveries",
                              "error"]
    assert " failed " in newest and "nope" in newest
    assert "slack_webhook:${NO_HOOK}=failed" in newest
    assert " succeeded " in oldest and " 2 " in oldest
    assert "email:ana@example.com=delivered" in oldest

    code, out, _ = invoke(runtime, ["history", "by-status", "--json", "--limit", "1"], webhook)
    (line,) = out.strip().splitlines()
    record = json.loads(line)
    assert record["status"] == "failed" and record["deliveries"][0]["status"] == "failed"
    assert record["deliveries"][0]["error"] == "environment variable NO_HOOK is not set"
    assert record["deliveries"][0]["attempts"] == 1  # a missing variable is not retried now

    code, out, _ = invoke(runtime, ["history", "never-ran"], webhook)
    assert code == 0 and "no runs of 'never-ran' yet" in out


def test_run_unknown_report_is_one_line_error(runtime: Runtime, report_settings: Settings,
                                              webhook: WebhookReceiver) -> None:
    Path(report_settings.reports).write_text(definitions(report_yaml("by-status", deliver=HOOK)))
    code, _, err = invoke(runtime, ["run", "nope"], webhook)
    assert code == 2
    assert err.strip() == "error: no report named 'nope'; defined: by-status"


def test_pin_writes_reviewed_sql_and_runs_use_it_without_the_model(
        report_settings: Settings, webhook: WebhookReceiver) -> None:
    path = Path(report_settings.reports)
    path.write_text("# reviewed weekly\n" + definitions(report_yaml(
        "count", sql=None, deliver=HOOK)))
    asking = ScriptedModel(calls(("sql_query", {"query": COUNT_SQL})),
                           text("There are 200 purchases."))
    code, out, _ = invoke(Runtime(report_settings, model=asking), ["pin", "count"], webhook,
                          stdin="n\n")
    assert code == 1 and "not pinned" in out
    assert "sql:" not in path.read_text()

    asking.enqueue(calls(("sql_query", {"query": COUNT_SQL})), text("There are 200 purchases."))
    code, out, _ = invoke(Runtime(report_settings, model=asking), ["pin", "count", "--yes"],
                          webhook)
    assert code == 0, out
    assert "There are 200 purchases." in out and COUNT_SQL in out and "200" in out
    assert path.read_text().startswith("# reviewed weekly\n")
    assert f"sql: |-\n      {COUNT_SQL}" in path.read_text()

    silent = ScriptedModel()
    code, out, _ = invoke(Runtime(report_settings, model=silent), ["run", "count"], webhook)
    assert code == 0, out
    assert silent.requests == []
    assert "purchases: 200" in json.dumps(webhook.posts[-1])


def test_pin_preview_of_many_rows_mentions_no_attachment(
        report_settings: Settings, webhook: WebhookReceiver) -> None:
    Path(report_settings.reports).write_text(definitions(report_yaml(
        "rows", sql=None, deliver=HOOK)))
    many = "SELECT id, amount FROM shop.purchases ORDER BY id"
    model = ScriptedModel(calls(("sql_query", {"query": many})), text("Here they are."))
    code, out, _ = invoke(Runtime(report_settings, model=model), ["pin", "rows"], webhook,
                          stdin="n\n")
    assert code == 1
    assert "more rows not shown" in out and "attach" not in out


def test_pin_refuses_when_no_sql_ran(report_settings: Settings,
                                     webhook: WebhookReceiver) -> None:
    Path(report_settings.reports).write_text(definitions(report_yaml(
        "count", sql=None, deliver=HOOK)))
    model = ScriptedModel(text("I cannot tell."))
    code, _, err = invoke(Runtime(report_settings, model=model), ["pin", "count", "--yes"],
                          webhook)
    assert code == 2 and "nothing to pin" in err


# -- real processes sharing one state database ---------------------------------------------

def _env(settings: Settings, webhook: WebhookReceiver) -> dict[str, str]:
    return {**os.environ, "NL2SQL_WAREHOUSE": settings.warehouse, "NL2SQL_MODEL": "offline",
            "NL2SQL_STATE_DB": settings.state_db, "NL2SQL_REPORTS": settings.reports,
            "SLACK_WEBHOOK_URL": webhook.url, "PYTHONWARNINGS": "error"}


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "nl2sql.cli", "report", *args]


def test_three_concurrent_due_deliver_exactly_once(report_settings: Settings,
                                                   webhook: WebhookReceiver) -> None:
    Path(report_settings.reports).write_text(definitions(report_yaml("by-status", deliver=HOOK)))
    env = _env(report_settings, webhook)
    procs = [subprocess.Popen(_cli("due", "--now", "2025-03-10T08:00:30Z", "-v"), env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outputs
    lines = sorted(out.strip() for out, _ in outputs)
    assert sum("2025-03-10T08:00:00Z: ran; succeeded" in line for line in lines) == 1, lines
    assert sum(line == "by-status 2025-03-10T08:00:00Z: already-claimed" for line in lines) == 2
    assert len(webhook.posts) == 1

    # A slot already run is not run again, by a later caller either.
    again = subprocess.run(_cli("due", "--now", "2025-03-10T09:30:00Z"), env=env,
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and again.stdout == ""
    assert len(webhook.posts) == 1


def test_due_rejects_a_bad_now(report_settings: Settings, webhook: WebhookReceiver) -> None:
    result = subprocess.run(_cli("due", "--now", "yesterday"), env=_env(report_settings, webhook),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "ISO 8601" in result.stderr


@pytest.mark.slow
def test_serve_runs_the_current_slot_and_stops_cleanly(report_settings: Settings,
                                                       webhook: WebhookReceiver) -> None:
    Path(report_settings.reports).write_text(definitions(
        report_yaml("every-minute", sql=BY_STATUS_SQL, schedule="* * * * *", deliver=HOOK)))
    proc = subprocess.Popen(_cli("serve", "--interval", "3600"),
                            env=_env(report_settings, webhook), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not webhook.posts and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(webhook.posts) == 1
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "every-minute" in out and "ran; succeeded" in out and out.strip().endswith("stopped")


@pytest.mark.postgres
def test_three_due_on_two_instances_share_postgresql_and_deliver_once(
        report_settings: Settings, webhook: WebhookReceiver, postgres_url: str,
        tmp_path: Path) -> None:
    Path(report_settings.reports).write_text(definitions(report_yaml("by-status", deliver=HOOK)))
    shared = {**_env(report_settings, webhook), "NL2SQL_STATE_URL": postgres_url}
    # Two instances: each its own local disk, one PostgreSQL state database.
    instances = [{**shared, "NL2SQL_STATE_DB": str(tmp_path / name / "state.sqlite3")}
                 for name in ("a", "b")]
    procs = [subprocess.Popen(_cli("due", "--now", "2025-03-10T08:00:30Z", "-v"), env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for env in (instances[0], instances[1], instances[0])]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outputs
    lines = sorted(out.strip() for out, _ in outputs)
    assert sum("2025-03-10T08:00:00Z: ran; succeeded" in line for line in lines) == 1, lines
    assert sum(line == "by-status 2025-03-10T08:00:00Z: already-claimed" for line in lines) == 2
    assert len(webhook.posts) == 1
    again = subprocess.run(_cli("due", "--now", "2025-03-10T09:30:00Z"), env=instances[1],
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and again.stdout == "", again.stderr
    assert len(webhook.posts) == 1
