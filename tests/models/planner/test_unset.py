""""un-" before a past participle says an event has not happened: "unpaid visits" are
those whose paid amount is empty, "uninsured patients" those with no insurance type. The
column is the subject table's one whose first word is the participle or the noun of its
verb; none or two such columns leave the word unaccounted (declined). Snake case and
PascalCase."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

CLINIC_SQL = """
CREATE SCHEMA care;
CREATE TABLE care.clients (client_id INTEGER, full_name VARCHAR, insurance_plan VARCHAR);
INSERT INTO care.clients SELECT i, 'C' || i, CASE WHEN i % 4 = 0 THEN NULL ELSE 'Basic' END
    FROM range(1, 41) t(i);
CREATE TABLE care.bills (bill_id INTEGER, client_id INTEGER, charge_amount DECIMAL(8,2),
    paid_amount DECIMAL(8,2));
INSERT INTO care.bills SELECT i, 1 + i % 40, 10 + i, CASE WHEN i % 3 = 0 THEN NULL ELSE 10 + i END
    FROM range(1, 91) t(i);
"""

SHOP_SQL = """
CREATE SCHEMA shop;
CREATE TABLE shop.InventoryItems (ItemId INTEGER, Sku VARCHAR, Cost DECIMAL(8,2), SoldAt TIMESTAMP,
    ShippedDate DATE, ShippedBy VARCHAR);
INSERT INTO shop.InventoryItems SELECT i, 'S' || i % 7, 5 + i % 9,
    CASE WHEN i % 5 = 0 THEN NULL ELSE TIMESTAMP '2024-01-01 10:00:00' + INTERVAL (i) DAY END,
    CASE WHEN i % 5 = 0 THEN NULL ELSE DATE '2024-01-03' + INTERVAL (i) DAY END,
    CASE WHEN i % 5 = 0 THEN NULL ELSE 'DHL' END
    FROM range(1, 61) t(i);
"""


@pytest.fixture(scope="module")
def care(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, CLINIC_SQL)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SHOP_SQL)


@pytest.mark.parametrize("question", ["how many unpaid bills", "How many bills are unpaid?"])
def test_unpaid_is_an_empty_paid_column(care: Path, question: str) -> None:
    assert_answers_like(care, question,
                        "SELECT COUNT(*) FROM care.bills WHERE paid_amount IS NULL")


def test_the_noun_of_the_verb_names_the_column(care: Path) -> None:
    """"uninsured": insurance_plan, the noun of "insure"."""
    answer = ask_db(care, "what percentage of clients are uninsured")
    assert answer.answered, answer.answer
    assert answer.rows[0][0] == pytest.approx(25.0), answer.sql


def test_pascal_case_and_a_measure(shop: Path) -> None:
    assert_answers_like(shop, "total cost of unsold inventory items",
                        "SELECT SUM(Cost) FROM shop.InventoryItems WHERE SoldAt IS NULL")


def test_the_interpretation_says_the_column_is_not_set(care: Path) -> None:
    interpretation = ask_db(care, "how many unpaid bills").interpretation
    assert interpretation is not None and "paid amount not set" in interpretation.summary


@pytest.mark.parametrize("db,question", [
    ("shop", "how many unshipped inventory items"),  # ShippedDate and ShippedBy: which one?
    ("care", "how many unbilled clients"),  # no column says billed
])
def test_two_columns_or_none_are_declined(request: pytest.FixtureRequest, db: str,
                                          question: str) -> None:
    answer = ask_db(request.getfixturevalue(db), question)
    assert not answer.answered, answer.sql
