"""Time between two events of a row: "average hours between a ticket being opened and
resolved", "average days from shipping to delivery by carrier". Each event is linked to
one date or timestamp column by its word; a missing unit, an event naming no column, and
hours between dates are declined. Checked against hand-written queries on DuckDB."""

from __future__ import annotations

from pathlib import Path

import pytest

from nl2sql.models.planner.durations import read, root
from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

SQL = """
CREATE SCHEMA help;
CREATE TABLE help.tickets (id BIGINT, priority VARCHAR, opened_at TIMESTAMP,
  resolved_at TIMESTAMP);
INSERT INTO help.tickets SELECT i, CASE WHEN i % 4 = 0 THEN 'high' ELSE 'low' END,
  TIMESTAMP '2024-01-01 08:00' + INTERVAL (i * 7) HOUR,
  CASE WHEN i % 5 = 0 THEN NULL
       ELSE TIMESTAMP '2024-01-01 08:00' + INTERVAL (i * 7 + 1 + i % 50) HOUR END
  FROM range(1, 300) t(i);
CREATE TABLE help.shipments (id BIGINT, carrier VARCHAR, shipped_on DATE, delivered_on DATE);
INSERT INTO help.shipments SELECT i, CASE WHEN i % 3 = 0 THEN 'Rail' ELSE 'Road' END,
  DATE '2024-02-01' + INTERVAL (i) DAY, DATE '2024-02-01' + INTERVAL (i + 1 + i % 6) DAY
  FROM range(1, 120) t(i);
CREATE TABLE help.invoices (id BIGINT, amount DOUBLE, issued_on DATE, paid_on DATE);
INSERT INTO help.invoices SELECT i, 10 * i, DATE '2024-03-01' + INTERVAL (i) DAY,
  CASE WHEN i % 4 = 0 THEN NULL ELSE DATE '2024-03-01' + INTERVAL (i + i % 9) DAY END
  FROM range(1, 80) t(i);
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SQL)


def test_exact_hours_between_two_timestamps_of_a_row(db: Path) -> None:
    assert_answers_like(
        db, "average number of hours between a ticket being opened and resolved",
        "SELECT AVG(date_diff('second', opened_at, resolved_at) / 3600) FROM help.tickets")


def test_the_rest_of_the_question_filters_the_rows_as_usual(db: Path) -> None:
    assert_answers_like(
        db, "average hours between a ticket being opened and resolved for high priority tickets",
        "SELECT AVG(date_diff('second', opened_at, resolved_at) / 3600) FROM help.tickets "
        "WHERE priority = 'high'")


def test_whole_days_between_two_dates_per_group(db: Path) -> None:
    assert_answers_like(
        db, "average days from shipping to delivery by carrier",
        "SELECT carrier, AVG(delivered_on - shipped_on) FROM help.shipments GROUP BY carrier")


def test_an_irregular_past_names_the_column_of_its_event(db: Path) -> None:
    assert_answers_like(
        db, "average number of days from invoice issue to payment",
        "SELECT AVG(paid_on - issued_on) FROM help.invoices")


@pytest.mark.parametrize(("question", "why"), [
    ("average time between a ticket being opened and resolved", "unit"),
    ("average hours from shipping to delivery", "dates"),
    ("average days from ticket creation to resolution", "column"),
])
def test_what_cannot_be_linked_exactly_is_declined(db: Path, question: str, why: str) -> None:
    answer = ask_db(db, question)
    assert not answer.answered
    assert why in answer.answer


def test_event_words_share_a_root_with_the_column_named_for_them() -> None:
    assert root("delivered") == root("delivery") == root("delivering")
    assert root("shipped") == root("shipping") == root("shipment")
    assert root("placed") == root("placement")
    assert root("paid") == root("payment") == root("paying")
    assert root("sent") == root("sending") and root("sold") == root("selling")
    span = read("median days between an order being placed and delivered in 2024")
    assert span is not None and not isinstance(span, str)
    assert (span.func, span.unit, span.rest) == ("MEDIAN", "DAY", "how many orders in 2024")
