"""Loading and validating definitions: every problem named by report and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from nl2sql.config import Settings
from nl2sql.errors import ConfigError
from nl2sql.reports.definitions import (
    Destination,
    InvalidReports,
    expand,
    load_reports,
    validate_reports,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "reports.yaml"
GOOD = """\
reports:
  - name: order-count
    question: How many purchases are there?
    sql: SELECT COUNT(*) AS n FROM shop.purchases
    schedule: "0 8 * * *"
    timezone: Europe/Lisbon
    deliver:
      - slack_webhook: ${SLACK_WEBHOOK_URL}
      - email: {to: [ana@example.com], subject: "Orders"}
      - file: {dir: reports/out, format: csv}
  - name: weekly
    question: Purchases per status?
    schedule: "@weekly"
    deliver:
      - file: {dir: /tmp/x}
"""
ENV = {"SLACK_WEBHOOK_URL": "http://127.0.0.1:9/hook"}
SETTINGS = Settings(smtp_url="smtp://127.0.0.1:2525")


def problems_for(tmp_path: Path, text: str, env: dict[str, str] | None = None,
                 settings: Settings = SETTINGS) -> list[str]:
    path = tmp_path / "reports.yaml"
    path.write_text(text)
    _, problems = validate_reports(path, settings, ENV if env is None else env)
    return [str(p) for p in problems]


def test_good_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "reports.yaml"
    path.write_text(GOOD)
    first, second = load_reports(path)
    assert first.name == "order-count" and first.sql.startswith("SELECT COUNT")  # type: ignore[union-attr]
    assert [d.kind for d in first.deliver] == ["slack_webhook", "email", "file"]
    assert first.deliver[2].base_dir == str(tmp_path)
    assert second.timezone == "UTC" and second.sql is None
    assert problems_for(tmp_path, GOOD) == []


def test_the_shipped_example_is_valid() -> None:
    env = {"SLACK_WEBHOOK_URL": "http://127.0.0.1:9/hook"}
    _, problems = validate_reports(EXAMPLE, Settings(smtp_url="smtp://127.0.0.1:25"), env)
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize(("change", "expected"), [
    (("schedule: \"0 8 * * *\"", "schedule: \"0 25 * * *\""),
     "order-count: schedule: '0 25 * * *' is not a valid cron expression"),
    (("schedule: \"0 8 * * *\"", "schedule: \"0 8 * *\""),
     "order-count: schedule: '0 8 * *' must have five fields"),
    (("timezone: Europe/Lisbon", "timezone: Europe/Lisboa"),
     "order-count: timezone: 'Europe/Lisboa' is not a known IANA time zone"),
    (("    schedule: \"0 8 * * *\"", "    schedule: \"0 8 * * *\"\n    colour: blue"),
     "order-count: Additional properties are not allowed ('colour' was unexpected)"),
    (("format: csv", "format: xlsx"),
     "order-count: deliver[2].file.format: 'xlsx' is not one of ['csv', 'json']"),
    (("- name: weekly", "- name: order-count"), "order-count: name: duplicate report name"),
    (("- name: weekly", "- name: Weekly_Report"),
     "Weekly_Report: name: 'Weekly_Report' must be lower-case letters, digits and dashes"),
    (("to: [ana@example.com]", "to: [not-an-address]"),
     "order-count: deliver[1].email.to[0]: 'not-an-address' is not an email address or a "
     "${VAR} reference"),
    (("      - file: {dir: /tmp/x}", "      - file: {dir: /tmp/x}\n        email: {to: [a@b.c]}"),
     "weekly: deliver[0]: a destination has exactly one of slack_webhook, email, file"),
    (("    question: Purchases per status?\n", ""),
     "weekly: 'question' is a required property"),
])
def test_bad_files_name_the_report_and_field(tmp_path: Path, change: tuple[str, str],
                                             expected: str) -> None:
    text = GOOD.replace(*change)
    assert text != GOOD
    problems = problems_for(tmp_path, text)
    assert any(p.startswith(expected) for p in problems), problems


def test_webhook_urls_must_come_from_the_environment(tmp_path: Path) -> None:
    secret = "https://hooks.slack.com/services/T1/B2/sekrit"
    problems = problems_for(tmp_path, GOOD.replace("${SLACK_WEBHOOK_URL}", secret))
    assert problems == ["order-count: deliver[0].slack_webhook: must be a ${VAR} reference; "
                        "keep webhook URLs in the environment"]
    assert "sekrit" not in "".join(problems)


@pytest.mark.parametrize(("written", "field", "message"), [
    ("slack_webhook: {url: URL}", "deliver[0].slack_webhook", "must be a ${VAR} reference"),
    ("slack_webhook: [URL]", "deliver[0].slack_webhook", "must be a ${VAR} reference"),
    ("URL", "deliver[0]", "must be a mapping"),
])
def test_webhook_urls_are_never_echoed(tmp_path: Path, written: str, field: str,
                                       message: str) -> None:
    secret = "https://hooks.slack.com/services/T1/B2/sekrit"
    text = GOOD.replace("slack_webhook: ${SLACK_WEBHOOK_URL}", written.replace("URL", secret))
    (problem,) = problems_for(tmp_path, text)
    assert problem.startswith(f"order-count: {field}: {message}")
    assert "sekrit" not in problem


def test_unset_variables_and_missing_smtp_are_reported(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, GOOD, env={}, settings=Settings())
    assert problems == [
        "order-count: deliver[0].slack_webhook: environment variable SLACK_WEBHOOK_URL "
        "is not set",
        "order-count: deliver[1].email: NL2SQL_SMTP_URL is not set",
    ]


def test_pinned_sql_goes_through_the_safety_gate(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, GOOD.replace(
        "sql: SELECT COUNT(*) AS n FROM shop.purchases", "sql: DROP TABLE shop.purchases"))
    assert len(problems) == 1
    assert problems[0].startswith("order-count: sql: rejected by the safety gate: ")


def test_allowed_datasets_apply_to_pinned_sql(tmp_path: Path) -> None:
    settings = Settings(smtp_url="smtp://127.0.0.1:25", allowed_datasets=("other",))
    (problem,) = problems_for(tmp_path, GOOD, settings=settings)
    assert problem.startswith("order-count: sql: rejected by the safety gate")


def test_yaml_syntax_errors_and_empty_files(tmp_path: Path) -> None:
    (problem,) = problems_for(tmp_path, "reports:\n  - name: x\n    a: b: c\n")
    assert problem == "not valid YAML at line 3, column 9: mapping values are not allowed here"
    assert problems_for(tmp_path, "") == ["'reports' is a required property"]


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read report definitions"):
        load_reports(tmp_path / "nope.yaml")


def test_load_raises_with_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(GOOD.replace("0 8 * * *", "nope").replace("Europe/Lisbon", "Nowhere"))
    with pytest.raises(InvalidReports) as info:
        load_reports(path)
    assert [p.field for p in info.value.problems] == ["schedule", "timezone"]
    assert "2 problem(s)" in info.value.message


def test_expand_replaces_variables_and_keeps_escapes() -> None:
    env = {"A": "1", "B": "two"}
    assert expand({"x": ["${A}-${B}", "$${A}"], "n": 3}, env) == {"x": ["1-two", "${A}"], "n": 3}
    with pytest.raises(ConfigError, match="C is not set"):
        expand("${C}", env)


def test_destination_labels_never_hold_secrets() -> None:
    d = Destination("slack_webhook", "${SLACK_WEBHOOK_URL}")
    assert d.label == "slack_webhook:${SLACK_WEBHOOK_URL}"
    assert Destination.from_json(d.to_json()) == d
    assert d.resolved({"SLACK_WEBHOOK_URL": "http://x"}) == "http://x"
