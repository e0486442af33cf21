"""Runs and deliveries against real peers: DuckDB, an SMTP server, a webhook receiver."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from nl2sql.config import Settings
from nl2sql.models.scripted import ScriptedModel, calls, text
from nl2sql.reports.definitions import load_reports
from nl2sql.reports.result import ReportResult
from nl2sql.reports.runner import DeliveryRetry, ReportRunner, results_dir
from nl2sql.reports.store import RunStore
from nl2sql.runtime import Runtime
from tests.reports.conftest import (
    COUNT_SQL,
    Mailbox,
    WebhookReceiver,
    _free_port,
    definitions,
    expire_heartbeats,
    report_yaml,
)

SLOT_NOW = datetime(2025, 3, 10, 8, 0, 30, tzinfo=UTC)  # 08:00 in Lisbon (WET) has passed
FAST = DeliveryRetry(attempts=3, first_delay_s=0.01, max_delay_s=0.02)


@pytest.fixture
def env(webhook: WebhookReceiver) -> dict[str, str]:
    return {"SLACK_WEBHOOK_URL": webhook.url}


def make_runner(settings: Settings, env: dict[str, str],
                model: ScriptedModel | None = None) -> tuple[ReportRunner, ScriptedModel]:
    model = model or ScriptedModel()  # empty: any model call fails the run
    runtime = Runtime(settings, model=model)
    return ReportRunner(runtime, RunStore(settings.state_db), env=env, retry=FAST), model


def write(settings: Settings, *reports: str) -> Path:
    path = Path(settings.reports)
    path.write_text(definitions(*reports))
    return path


ALL_THREE = """\
- slack_webhook: ${SLACK_WEBHOOK_URL}
- email: {to: [ana@example.com], subject: "Purchases"}
- file: {dir: out, format: csv}
"""


def test_pinned_run_delivers_to_each_destination_without_the_model(
        report_settings: Settings, env: dict[str, str], webhook: WebhookReceiver,
        smtp: tuple[Mailbox, int]) -> None:
    path = write(report_settings, report_yaml("by-status", deliver=ALL_THREE))
    runner, model = make_runner(report_settings, env)
    on_disk: list[list[str]] = []  # result files present when the message arrives
    webhook.on_post = lambda: on_disk.append(
        [p.name for p in results_dir(report_settings.state_db).rglob("*.json")])

    (outcome,) = runner.due(load_reports(path), SLOT_NOW)

    assert model.requests == []  # pinned SQL: the model is never asked
    run = outcome.run
    assert run is not None and run.status == "succeeded", run
    assert (run.slot, run.rows, run.trigger) == ("2025-03-10T08:00:00Z", 2, "schedule")
    assert [d.status for d in run.deliveries] == ["delivered"] * 3

    # Slack: Block Kit with the answer, a table and the SQL.
    (post,) = webhook.posts
    kinds = [b["type"] for b in post["blocks"]]
    assert kinds[0] == "header" and "context" in kinds
    body = json.dumps(post["blocks"])
    assert "Paid" in body and "Refunded" in body and "GROUP BY status" in body

    # Email: HTML with an inline chart, plain text, the CSV attached.
    box, _ = smtp
    (msg,) = box.messages
    assert box.recipients == [["ana@example.com"]]
    assert msg["Subject"] == "Purchases"
    html_part = msg.get_body(("html",))
    assert html_part is not None
    html = html_part.get_content()
    assert "cid:chart" in html and "<table" in html and "GROUP BY status" in html
    images = [p for p in msg.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 1 and images[0].get_content().startswith(b"\x89PNG")
    (attachment,) = list(msg.iter_attachments())
    rows = list(csv.reader(io.StringIO(attachment.get_content())))
    assert rows == [["status", "n"], ["Paid", "150"], ["Refunded", "50"]]

    # File: the CSV under the definitions file's directory.
    written = path.parent / "out" / "by-status-20250310T080000Z.csv"
    assert written.read_text().splitlines() == ["status,n", "Paid,150", "Refunded,50"]

    # The result was written before delivery, and is what retries deliver from.
    assert on_disk == [[Path(run.result_path or "").name]]
    saved = json.loads(Path(run.result_path or "").read_text())
    assert saved["rows"] == [["Paid", 150], ["Refunded", 50]]


def test_file_destination_json_format(report_settings: Settings, env: dict[str, str],
                                      tmp_path: Path) -> None:
    out = tmp_path / "json-out"
    path = write(report_settings, report_yaml(
        "count", sql=COUNT_SQL, deliver=f"- file: {{dir: {out}, format: json}}"))
    runner, _ = make_runner(report_settings, env)
    (outcome,) = runner.due(load_reports(path), SLOT_NOW)
    data = json.loads((out / "count-20250310T080000Z.json").read_text())
    assert data["rows"] == [[200]] and data["answer"] == "purchases: 200"
    assert data["sql"] == COUNT_SQL and data["status"] == "succeeded"
    assert outcome.run is not None and outcome.run.deliveries[0].status == "delivered"


def test_email_subject_from_a_question_over_several_lines(
        report_settings: Settings, env: dict[str, str], smtp: tuple[Mailbox, int]) -> None:
    path = write(report_settings, report_yaml(
        "count", sql=COUNT_SQL, deliver="- email: {to: [ana@example.com]}").replace(
        "question: How many purchases per status?",
        "question: |\n      How many purchases\n      are there?"))
    runner, _ = make_runner(report_settings, env)
    (outcome,) = runner.due(load_reports(path), SLOT_NOW)
    assert outcome.deliveries[0].status == "delivered", outcome.deliveries[0].error
    (msg,) = smtp[0].messages
    assert msg["Subject"] == "count: How many purchases are there?"


def test_message_ids_stay_unique_when_the_state_database_starts_again(
        report_settings: Settings, env: dict[str, str], smtp: tuple[Mailbox, int],
        tmp_path: Path) -> None:
    path = write(report_settings, report_yaml(
        "count", sql=COUNT_SQL, deliver="- email: {to: [ana@example.com]}"))
    for day, state in enumerate(("first", "second")):
        settings = report_settings.with_(state_db=str(tmp_path / state / "state.sqlite3"))
        runner, _ = make_runner(settings, env)
        (outcome,) = runner.due(load_reports(path), SLOT_NOW + timedelta(days=day))
        assert outcome.run is not None and outcome.run.id == 1
    first, second = smtp[0].messages
    assert first["Message-ID"] != second["Message-ID"]


def test_email_recipient_from_the_environment(
        report_settings: Settings, env: dict[str, str], smtp: tuple[Mailbox, int]) -> None:
    path = write(report_settings, report_yaml(
        "count", sql=COUNT_SQL, deliver='- email: {to: ["${TEAM}", bo@example.com]}'))
    runner, _ = make_runner(report_settings, {**env, "TEAM": "team@example.com"})
    (outcome,) = runner.due(load_reports(path), SLOT_NOW)
    assert outcome.deliveries[0].label == "email:${TEAM},bo@example.com"
    assert smtp[0].recipients == [["team@example.com", "bo@example.com"]]


@pytest.mark.parametrize("broken", ["{url} x", "htp{url}", "{url}"])
def test_webhook_url_stays_out_of_errors_and_logs(
        report_settings: Settings, webhook: WebhookReceiver, broken: str,
        caplog: pytest.LogCaptureFixture) -> None:
    # A URL the HTTP client refuses (a stray space from a copied secret, a
    # typo in the scheme) or a server that refuses it: the error is stored in
    # the run store and logged, and must not carry the URL's secret path.
    path = write(report_settings, report_yaml(
        "count", sql=COUNT_SQL, deliver="- slack_webhook: ${SLACK_WEBHOOK_URL}"))
    webhook.fail_next(3)
    runner, _ = make_runner(report_settings, {"SLACK_WEBHOOK_URL": broken.format(url=webhook.url)})
    (outcome,) = runner.due(load_reports(path), SLOT_NOW)
    (delivery,) = outcome.deliveries
    assert delivery.status == "failed" and delivery.error
    secret = webhook.url.partition("/services/")[2]
    assert secret not in delivery.error and secret not in caplog.text
    state = Path(report_settings.state_db)
    assert all(secret.encode() not in f.read_bytes()
               for f in state.parent.glob(state.name + "*"))


def test_unpinned_report_asks_the_agent(report_settings: Settings, env: dict[str, str],
                                        webhook: WebhookReceiver) -> None:
    path = write(report_settings, report_yaml(
        "asked", sql=None, deliver="- slack_webhook: ${SLACK_WEBHOOK_URL}"))
    model = ScriptedModel(calls(("sql_query", {"query": COUNT_SQL})),
                          text("There are 200 purchases."))
    runner, _ = make_runner(report_settings, env, model)
    (outcome,) = runner.due(load_reports(path), SLOT_NOW)
    assert outcome.run is not None and outcome.run.status == "succeeded"
    assert outcome.run.sql == COUNT_SQL
    assert "There are 200 purchases." in json.dumps(webhook.posts[0])
    assert len(model.requests) == 2


def test_webhook_failing_then_recovering_within_a_round(
        report_settings: Settings, env: dict[str, str], webhook: WebhookReceiver) -> None:
    path = write(report_settings, report_yaml(
        "by-status", deliver="- slack_webhook: ${SLACK_WEBHOOK_URL}"))
    webhook.fail_next(2, status=503)
    runner, _ = make_runner(report_settings, env)
    (outcome,) = runner.due(load_reports(path), SLOT_NOW)
    (delivery,) = outcome.deliveries
    assert (delivery.status, delivery.attempts) == ("delivered", 3)
    assert webhook.hits == 3 and len(webhook.posts) == 1


def test_failed_destination_is_retried_later_alone_from_the_saved_result(
        report_settings: Settings, env: dict[str, str], webhook: WebhookReceiver,
        smtp: tuple[Mailbox, int]) -> None:
    path = write(report_settings, report_yaml("asked", sql=None, deliver="""\
- slack_webhook: ${SLACK_WEBHOOK_URL}
- email: {to: [ana@example.com]}
"""))
    # Exactly one answer's worth of turns: running the question twice would fail.
    model = ScriptedModel(calls(("sql_query", {"query": COUNT_SQL})), text("200 purchases."))
    runner, _ = make_runner(report_settings, env, model)
    reports = load_reports(path)
    webhook.fail_next(3)  # the whole first round

    (first,) = runner.due(reports, SLOT_NOW)
    assert [d.status for d in first.deliveries] == ["failed", "delivered"]
    failed = first.deliveries[0]
    assert failed.error and "HTTP 500" in failed.error
    assert failed.next_attempt_at == "2025-03-10T08:01:30Z"
    box, _ = smtp
    assert len(box.messages) == 1 and webhook.posts == []

    # Before the backoff has passed nothing is retried.
    assert [o.action for o in runner.due(reports, SLOT_NOW + timedelta(seconds=30))] == \
        ["already-claimed"]
    assert webhook.hits == 3

    later = runner.due(reports, SLOT_NOW + timedelta(minutes=2))
    assert [o.action for o in later] == ["already-claimed", "retried"]
    (retried,) = later[1].deliveries
    assert (retried.status, retried.attempts, retried.rounds) == ("delivered", 4, 2)
    assert "200 purchases." in json.dumps(webhook.posts[0])
    assert len(box.messages) == 1  # the email that succeeded is not sent again
    assert len(model.requests) == 2  # and the question was not asked again

    run = runner.store.history("asked")[0]
    assert [d.status for d in run.deliveries] == ["delivered", "delivered"]


@pytest.mark.parametrize("late", [timedelta(0), timedelta(days=3)])
def test_destination_is_retried_for_a_day_then_gives_up(
        report_settings: Settings, env: dict[str, str], webhook: WebhookReceiver,
        late: timedelta) -> None:
    # Late: a scheduler down for three days runs Monday's weekly slot on
    # Thursday; its first failed round must not end the retries because the
    # slot is old.
    path = write(report_settings, report_yaml(
        "by-status", schedule="0 8 * * MON", deliver="- slack_webhook: ${SLACK_WEBHOOK_URL}"))
    runner, _ = make_runner(report_settings, env)
    webhook.fail_next(1000)
    first = SLOT_NOW + late
    (outcome,) = runner.due(load_reports(path), first)
    assert outcome.slot == "2025-03-10T08:00:00Z"
    (delivery,) = outcome.deliveries
    rounds = [first]
    while delivery.status == "failed":
        assert delivery.next_attempt_at is not None
        now = datetime.fromisoformat(delivery.next_attempt_at.replace("Z", "+00:00"))
        (retried,) = runner.retry_deliveries(now)
        (delivery,) = retried.deliveries
        rounds.append(now)
    assert delivery.status == "gave_up" and delivery.rounds == len(rounds)
    assert timedelta(hours=23) <= rounds[-1] - first <= timedelta(hours=24)
    assert webhook.hits == 3 * len(rounds)
    assert runner.retry_deliveries(first + timedelta(days=2)) == []


def test_query_failure_is_recorded_and_announced(
        report_settings: Settings, env: dict[str, str], webhook: WebhookReceiver,
        smtp: tuple[Mailbox, int]) -> None:
    path = write(report_settings, report_yaml(
        "broken", sql="SELECT no_such_column FROM shop.purchases", deliver="""\
- slack_webhook: ${SLACK_WEBHOOK_URL}
- email: {to: [ana@example.com], subject: Broken}
"""))
    runner, _ = make_runner(report_settings, env)
    (outcome,) = runner.due(load_reports(path), SLOT_NOW)
    run = outcome.run
    assert run is not None and run.status == "failed"
    assert run.error and "no_such_column" in run.error
    assert [d.status for d in run.deliveries] == ["delivered", "delivered"]
    assert "failed" in json.dumps(webhook.posts[0]).lower()
    (msg,) = smtp[0].messages
    assert msg["Subject"] == "[failed] Broken"
    plain = msg.get_body(("plain",))
    assert plain is not None and "no_such_column" in plain.get_content()
    assert outcome.failed


def test_model_failure_is_recorded_not_silent(report_settings: Settings, env: dict[str, str],
                                              webhook: WebhookReceiver) -> None:
    path = write(report_settings, report_yaml(
        "asked", sql=None, deliver="- slack_webhook: ${SLACK_WEBHOOK_URL}"))
    runner, _ = make_runner(report_settings, env)  # the model has nothing to say
    (outcome,) = runner.due(load_reports(path), SLOT_NOW)
    assert outcome.run is not None and outcome.run.status == "failed"
    assert "no more turns" in (outcome.run.error or "")
    (notice,) = webhook.posts
    assert notice["text"] == "Report asked failed: scripted model has no more turns"


def test_an_answer_without_a_query_fails_the_report(
        report_settings: Settings, env: dict[str, str], webhook: WebhookReceiver) -> None:
    path = write(report_settings, report_yaml(
        "asked", sql=None, deliver="- slack_webhook: ${SLACK_WEBHOOK_URL}"))
    model = ScriptedModel(text("Which purchases do you mean, paid or refunded?"))
    runner, _ = make_runner(report_settings, env, model)
    (outcome,) = runner.due(load_reports(path), SLOT_NOW)
    assert outcome.run is not None and outcome.run.status == "failed"
    assert "ran no query" in (outcome.run.error or "")
    assert "paid or refunded" in json.dumps(webhook.posts[0])


@pytest.mark.parametrize(("sql", "allowed", "reason"), [
    ("DELETE FROM shop.purchases", (), "only read-only queries are allowed"),
    # Reviewed and pinned, then the allowlist tightened: DuckDB alone would run
    # this, so only the gate at run time stops it.
    (COUNT_SQL, ("other",), "outside the allowed datasets"),
])
def test_pinned_sql_is_stopped_by_the_gate_at_run_time(
        report_settings: Settings, env: dict[str, str], webhook: WebhookReceiver,
        sql: str, allowed: tuple[str, ...], reason: str) -> None:
    path = write(report_settings, report_yaml(
        "sneaky", sql=sql, deliver="- slack_webhook: ${SLACK_WEBHOOK_URL}"))
    runner, _ = make_runner(report_settings.with_(allowed_datasets=allowed), env)
    (outcome,) = runner.due(load_reports(path), SLOT_NOW)
    assert outcome.run is not None and outcome.run.status == "failed"
    assert outcome.run.rows is None and reason in (outcome.run.error or "")
    assert reason in json.dumps(webhook.posts[0])  # announced, not silent


def test_a_result_that_cannot_be_saved_fails_the_run_and_is_announced(
        report_settings: Settings, env: dict[str, str], webhook: WebhookReceiver) -> None:
    path = write(report_settings,
                 report_yaml("first", deliver="- slack_webhook: ${SLACK_WEBHOOK_URL}"),
                 report_yaml("second", deliver="- slack_webhook: ${SLACK_WEBHOOK_URL}"))
    runner, _ = make_runner(report_settings, env)
    runner.results.parent.mkdir(parents=True, exist_ok=True)
    runner.results.write_text("a file where the results directory should be")

    outcomes = runner.due(load_reports(path), SLOT_NOW)
    assert [o.report for o in outcomes] == ["first", "second"]  # one failure stops nothing
    for o in outcomes:
        assert o.run is not None and o.run.status == "failed"
        assert "could not be saved" in (o.run.error or "") and o.run.rows is None
    assert len(webhook.posts) == 2
    assert all("could not be saved" in json.dumps(p) for p in webhook.posts)
    assert "Paid" not in json.dumps(webhook.posts)  # data not on disk is not sent

    # A notice that failed too has no file to be retried from: it ends, with why.
    webhook.fail_next(3)
    (again,) = runner.run_now(load_reports(path)[0]).deliveries
    assert again.status == "failed"
    (retried,) = runner.retry_deliveries(datetime.now(UTC) + timedelta(minutes=2))
    assert retried.deliveries[0].status == "gave_up"
    assert "result file unusable" in (retried.deliveries[0].error or "")


def test_a_slot_already_run_is_not_run_again(report_settings: Settings, env: dict[str, str],
                                             webhook: WebhookReceiver) -> None:
    path = write(report_settings, report_yaml(
        "by-status", deliver="- slack_webhook: ${SLACK_WEBHOOK_URL}"))
    runner, _ = make_runner(report_settings, env)
    reports = load_reports(path)
    assert [o.action for o in runner.due(reports, SLOT_NOW)] == ["ran"]
    assert [o.action for o in runner.due(reports, SLOT_NOW + timedelta(hours=3))] == \
        ["already-claimed"]
    # The next morning is a new slot.
    nxt = runner.due(reports, SLOT_NOW + timedelta(days=1))
    assert [(o.action, o.slot) for o in nxt] == [("ran", "2025-03-11T08:00:00Z")]
    assert len(webhook.posts) == 2
    # Down for three days: one catch-up run, for the latest slot only.
    later = runner.due(reports, SLOT_NOW + timedelta(days=4, hours=2))
    assert [(o.action, o.slot) for o in later] == [("ran", "2025-03-14T08:00:00Z")]
    assert [r.slot for r in runner.store.history("by-status")] == [
        "2025-03-14T08:00:00Z", "2025-03-11T08:00:00Z", "2025-03-10T08:00:00Z"]
    assert len(webhook.posts) == 3


def test_an_edited_schedule_never_runs_a_slot_older_than_one_that_ran(
        report_settings: Settings, env: dict[str, str], webhook: WebhookReceiver) -> None:
    hook = "- slack_webhook: ${SLACK_WEBHOOK_URL}"
    path = write(report_settings, report_yaml("by-status", deliver=hook))
    runner, _ = make_runner(report_settings, env)
    assert [o.action for o in runner.due(load_reports(path), SLOT_NOW)] == ["ran"]

    # At 08:30 the report moves to 09:00: its latest slot is now yesterday's
    # 09:00, older than this morning's run, and must not be sent after it.
    write(report_settings, report_yaml("by-status", schedule="0 9 * * *", deliver=hook))
    reports = load_reports(path)
    (skipped,) = runner.due(reports, SLOT_NOW + timedelta(minutes=30))
    assert (skipped.action, skipped.slot) == ("superseded", "2025-03-09T09:00:00Z")
    (ran,) = runner.due(reports, SLOT_NOW + timedelta(hours=1))
    assert (ran.action, ran.slot) == ("ran", "2025-03-10T09:00:00Z")
    assert len(webhook.posts) == 2


def test_manual_run_is_its_own_slot(report_settings: Settings, env: dict[str, str],
                                    webhook: WebhookReceiver) -> None:
    path = write(report_settings, report_yaml(
        "by-status", deliver="- slack_webhook: ${SLACK_WEBHOOK_URL}"))
    runner, _ = make_runner(report_settings, env)
    (report,) = load_reports(path)
    first, second = runner.run_now(report), runner.run_now(report)
    assert first.slot.startswith("manual:") and first.slot != second.slot
    assert len(webhook.posts) == 2
    # Manual runs do not use up the scheduled slot.
    assert [o.action for o in runner.due([report], SLOT_NOW)] == ["ran"]


def _crash(store: RunStore, report: str, slot: str) -> int:
    """Leave a run as a process that died mid-run would: claimed, lease expired."""
    ghost = RunStore(store.db.url)
    ghost.owner = "dead-host:1"
    (definition,) = load_reports(Path(store.db.path).parent.parent / "reports.yaml")
    run = ghost.claim(report, slot, "schedule", definition.deliver)
    assert run is not None
    ghost.close()
    expire_heartbeats(store.db.url, run.id)
    return run.id


def test_a_run_left_by_a_dead_process_is_finished_by_the_next_due(
        report_settings: Settings, env: dict[str, str], webhook: WebhookReceiver) -> None:
    path = write(report_settings, report_yaml(
        "by-status", deliver="- slack_webhook: ${SLACK_WEBHOOK_URL}"))
    runner, _ = make_runner(report_settings, env)
    run_id = _crash(runner.store, "by-status", "2025-03-10T08:00:00Z")

    outcome, latest = runner.due(load_reports(path), SLOT_NOW)
    assert (outcome.action, latest.action) == ("took-over", "already-claimed")
    assert outcome.run is not None and outcome.run.id == run_id
    assert (outcome.run.status, outcome.run.attempts) == ("succeeded", 2)
    assert len(webhook.posts) == 1


def test_a_dead_process_result_is_delivered_not_recomputed(
        report_settings: Settings, env: dict[str, str], webhook: WebhookReceiver) -> None:
    path = write(report_settings, report_yaml(
        "asked", sql=None, deliver="- slack_webhook: ${SLACK_WEBHOOK_URL}"))
    runner, model = make_runner(report_settings, env)  # asking again would fail the run
    run_id = _crash(runner.store, "asked", "2025-03-10T08:00:00Z")
    saved = Path(report_settings.state_db).parent / "result.json"
    ReportResult(report="asked", question="q", slot="2025-03-10T08:00:00Z", run_id=run_id,
                 status="succeeded", answer="Written before the crash.").save(saved)
    runner.store.set_result_path(run_id, str(saved))

    outcome, _ = runner.due(load_reports(path), SLOT_NOW)
    assert outcome.run is not None and outcome.run.status == "succeeded"
    assert model.requests == []
    assert "Written before the crash." in json.dumps(webhook.posts[0])


# aiosmtpd cannot see that an smtps transport is TLS and warns about AUTH over
# plain text, which this test does not do.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
@pytest.mark.parametrize(("scheme", "creds_in"), [("smtps", "url"), ("smtp", "url"),
                                                 ("smtp", "settings")])
def test_email_over_tls_with_credentials(report_settings: Settings, env: dict[str, str],
                                         tls_cert: tuple[Path, Path], scheme: str,
                                         creds_in: str) -> None:
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(*tls_cert)
    logins: list[tuple[bytes, bytes]] = []

    def authenticate(server: object, session: object, envelope: object, mechanism: str,
                     auth_data: object) -> AuthResult:
        logins.append((auth_data.login, auth_data.password))  # type: ignore[attr-defined]
        return AuthResult(success=True)

    box = Mailbox()
    # smtps: TLS from the first byte (aiosmtpd cannot tell, hence
    # auth_require_tls=False); smtp: STARTTLS, which the client must use before
    # it sends credentials.
    tls: dict[str, Any] = (
        {"ssl_context": server_tls, "auth_require_tls": False} if scheme == "smtps"
        else {"tls_context": server_tls, "require_starttls": True})
    controller = Controller(box, hostname="127.0.0.1", port=_free_port(),
                            authenticator=authenticate, auth_required=True, **tls)
    controller.start()
    try:
        if creds_in == "url":
            settings = report_settings.with_(
                smtp_url=f"{scheme}://mailer:p%40ss@127.0.0.1:{controller.port}")
        else:  # NL2SQL_SMTP_USER / NL2SQL_SMTP_PASSWORD
            from_env = Settings.from_env({"NL2SQL_SMTP_USER": "mailer",
                                          "NL2SQL_SMTP_PASSWORD": "p@ss"})
            settings = report_settings.with_(
                smtp_user=from_env.smtp_user, smtp_password=from_env.smtp_password,
                smtp_url=f"{scheme}://127.0.0.1:{controller.port}")
        path = write(settings, report_yaml("count", sql=COUNT_SQL,
                                           deliver="- email: {to: [ana@example.com]}"))
        runner, _ = make_runner(settings, env)
        (outcome,) = runner.due(load_reports(path), SLOT_NOW)
    finally:
        controller.stop()
    assert outcome.deliveries[0].status == "delivered", outcome.deliveries[0].error
    assert logins == [(b"mailer", b"p@ss")]
    assert "purchases: 200" in box.messages[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]


FORMULA_SQL = ("SELECT '=HYPERLINK(\"http://example.com/x\", \"click\")' AS link, "
               "\"+cmd|' /C calc'!A0\" AS dde, '@SUM(1+1)' AS at, -5 AS n")
SAFE_ROW = ["'=HYPERLINK(\"http://example.com/x\", \"click\")", "'+cmd|' /C calc'!A0",
            "'@SUM(1+1)", "-5"]


def test_report_csvs_never_run_as_formulas(report_settings: Settings, env: dict[str, str],
                                          smtp: tuple[Mailbox, int]) -> None:
    """File delivery and the email attachment use the web export's writer:
    a cell a spreadsheet would run as a formula is written as text."""
    path = write(report_settings, report_yaml("odd", sql=FORMULA_SQL, deliver="""\
- email: {to: [ana@example.com]}
- file: {dir: out, format: csv}
"""))
    runner, _ = make_runner(report_settings, env)
    (outcome,) = runner.due(load_reports(path), SLOT_NOW)
    assert outcome.run is not None and outcome.run.status == "succeeded", outcome.run

    written = (path.parent / "out" / "odd-20250310T080000Z.csv").read_text()
    (msg,) = smtp[0].messages
    (attachment,) = list(msg.iter_attachments())
    for text_ in (written, attachment.get_content()):
        assert list(csv.reader(io.StringIO(text_))) == [["link", "dde", "at", "n"], SAFE_ROW]
