"""Words that fix a count or narrow a share are part of the question, never dropped:
"exactly one order", "only 2 visits", "just one" keep the rows with that many related
rows (= N, not "some"); "what share of orders from the web were cancelled" takes the
share among the web orders (the base's own words narrow both parts), not among all."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, gold, make_db

CLINIC = """
CREATE SCHEMA care;
CREATE TABLE care.patients (id BIGINT, name VARCHAR, age INTEGER);
CREATE TABLE care.visits (id BIGINT, patient_id BIGINT, visited_on DATE);
INSERT INTO care.patients SELECT i, 'P' || i, 20 + i % 4 FROM range(1, 21) t(i);
INSERT INTO care.visits SELECT p * 10 + k, p, DATE '2023-01-01' + INTERVAL (k * 11) DAY
  FROM range(1, 21) t(p), range(0, 4) s(k) WHERE k < p % 4;  -- 0 to 3 visits each
"""

SHOP = """
CREATE SCHEMA Shop;
CREATE TABLE Shop.Customers (CustomerId BIGINT, FullName VARCHAR);
CREATE TABLE Shop.Orders (OrderId BIGINT, CustomerId BIGINT, Channel VARCHAR,
                          OrderStatus VARCHAR);
INSERT INTO Shop.Customers SELECT i, 'C' || i FROM range(1, 31) t(i);
INSERT INTO Shop.Orders SELECT c * 10 + k, c, CASE WHEN (c + k) % 3 = 0 THEN 'Web' ELSE 'Store' END,
  CASE WHEN (c * k) % 5 = 1 THEN 'Cancelled' WHEN (c + k) % 4 = 0 THEN 'Returned'
       ELSE 'Complete' END
  FROM range(1, 31) t(c), range(0, 4) s(k) WHERE k < c % 4;  -- 0 to 3 orders each
"""


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, CLINIC)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SHOP)


def _visits(n: int) -> str:
    return ("SELECT COUNT(*) FROM care.patients p WHERE (SELECT COUNT(*) FROM care.visits v "
            f"WHERE v.patient_id = p.id) = {n}")


def _orders(n: int) -> str:
    return ("SELECT COUNT(*) FROM Shop.Customers c WHERE (SELECT COUNT(*) FROM Shop.Orders o "
            f"WHERE o.CustomerId = c.CustomerId) = {n}")


@pytest.mark.parametrize(("db", "question", "query"), [
    ("clinic", "How many patients have exactly one visit?", _visits(1)),
    ("clinic", "How many patients had only 2 visits?", _visits(2)),
    ("clinic", "How many patients have exactly 3 visits?", _visits(3)),
    ("shop", "How many customers placed exactly one order?", _orders(1)),
    ("shop", "How many customers have just one order?", _orders(1)),
    ("shop", "How many customers placed only 2 orders?", _orders(2)),
])
def test_a_fixed_number_of_related_rows_is_an_equality(request: pytest.FixtureRequest, db: str,
                                                       question: str, query: str) -> None:
    path = request.getfixturevalue(db)
    assert_answers_like(path, question, query)
    everyone = gold(path, query.replace(") = ", ") >= ").rsplit(">=", 1)[0] + ">= 1")
    assert gold(path, query) != everyone, "the fixture must tell 'exactly' from 'some'"


@pytest.mark.parametrize(("db", "question", "exactly_one"), [
    ("clinic", "How many patients have a single visit?", _visits(1)),
    ("shop", "How many customers placed a single order?", _orders(1)),
])
def test_a_single_related_row_is_never_read_as_some(request: pytest.FixtureRequest, db: str,
                                                    question: str, exactly_one: str) -> None:
    path = request.getfixturevalue(db)
    answer = ask_db(path, question)
    if answer.answered:  # declining is fine; "some orders" is not
        assert [list(r[-1:]) for r in answer.rows] == gold(path, exactly_one), answer.sql


def _share(where: str, part: str) -> str:
    return (f"SELECT 100 * COUNT(*) FILTER (WHERE {part}) / COUNT(*), "
            f"COUNT(*) FILTER (WHERE {part}), COUNT(*) FROM Shop.Orders WHERE {where}")


@pytest.mark.parametrize(("question", "query"), [
    ("What share of orders from the web channel were cancelled?",
     _share("Channel = 'Web'", "OrderStatus = 'Cancelled'")),
    ("What percentage of web orders were returned?",
     _share("Channel = 'Web'", "OrderStatus = 'Returned'")),
    ("What percentage of cancelled orders were web orders?",
     _share("OrderStatus = 'Cancelled'", "Channel = 'Web'")),
])
def test_a_share_is_taken_among_the_rows_its_base_names(shop: Path, question: str,
                                                        query: str) -> None:
    assert_answers_like(shop, question, query)
