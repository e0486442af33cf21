"""Set conditions and comparisons with an aggregate, end to end through the Agent on
DuckDB, over schemas in three naming styles: each answer must return what a query
written by hand returns, name its condition in the interpretation, and the questions
it cannot read precisely must stay declined."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from nl2sql.models.planner.plan import Related, Versus
from nl2sql.models.planner.resolve import understand
from nl2sql.models.planner.sqlbuild import to_sql
from tests.models.planner.catalogs import catalog_of
from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

SNAKE = """
CREATE SCHEMA shop;
CREATE TABLE shop.customers (id BIGINT, name VARCHAR, age INTEGER);
CREATE TABLE shop.orders (id BIGINT, customer_id BIGINT, amount DOUBLE, created_at TIMESTAMP,
                          status VARCHAR);
CREATE TABLE shop.products (id BIGINT, name VARCHAR, price DOUBLE);
CREATE TABLE shop.order_items (id BIGINT, order_id BIGINT, product_id BIGINT);
INSERT INTO shop.customers SELECT i, 'C' || i, 20 + i * 2 FROM range(1, 13) t(i);
INSERT INTO shop.orders SELECT i, 1 + i % 9, i * 2.5,
  TIMESTAMP '2022-01-01' + INTERVAL (i * 23) DAY, ['Paid', 'Open', 'Open'][1 + i % 3]
  FROM range(1, 41) t(i);
INSERT INTO shop.products SELECT i, 'P' || i, i * 3.0 FROM range(1, 11) t(i);
INSERT INTO shop.order_items SELECT i, 1 + i % 40, 1 + i % 7 FROM range(1, 61) t(i);
"""

PASCAL = """
CREATE SCHEMA kennel;
CREATE TABLE kennel.Owners (OwnerId BIGINT, FirstName VARCHAR);
CREATE TABLE kennel.Dogs (DogId BIGINT, OwnerId BIGINT, Name VARCHAR, Age INTEGER);
CREATE TABLE kennel.Professionals (ProfessionalId BIGINT, LastName VARCHAR);
CREATE TABLE kennel.Treatments (TreatmentId BIGINT, DogId BIGINT, ProfessionalId BIGINT,
                                Cost DOUBLE);
INSERT INTO kennel.Owners SELECT i, 'O' || i FROM range(1, 9) t(i);
INSERT INTO kennel.Dogs SELECT i, 1 + i % 5, 'D' || i, 1 + i % 11 FROM range(1, 16) t(i);
INSERT INTO kennel.Dogs VALUES (16, NULL, 'Stray', 4);  -- no owner: "NOT IN" would find none
INSERT INTO kennel.Professionals SELECT i, 'L' || i FROM range(1, 7) t(i);
INSERT INTO kennel.Treatments SELECT i, 1 + i % 9, 1 + i % 4, 10.0 * i FROM range(1, 13) t(i);
"""

TERSE = """
CREATE SCHEMA ops;
CREATE TABLE ops.cust (cust_id BIGINT, nm VARCHAR);
CREATE TABLE ops.prod (prod_id BIGINT, nm VARCHAR);
CREATE TABLE ops.txn (txn_id BIGINT, cust_id BIGINT, prod_id BIGINT, amt DOUBLE, txn_dt DATE);
INSERT INTO ops.cust SELECT i, 'K' || i FROM range(1, 11) t(i);
INSERT INTO ops.prod SELECT i, 'R' || i FROM range(1, 9) t(i);
INSERT INTO ops.txn SELECT i, 1 + i % 7, 1 + i % 5, i * 1.0,
  DATE '2023-01-01' + INTERVAL (i * 17) DAY FROM range(1, 51) t(i);
"""

AIRPORTS = """
CREATE SCHEMA air;
CREATE TABLE air.airports (id BIGINT, name VARCHAR);
CREATE TABLE air.flights (id BIGINT, origin_airport_id BIGINT, destination_airport_id BIGINT);
INSERT INTO air.airports SELECT i, 'A' || i FROM range(1, 6) t(i);
INSERT INTO air.flights SELECT i, 1 + i % 3, 2 + i % 3 FROM range(1, 9) t(i);
"""


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {name: make_db(tmp_path_factory, sql) for name, sql in
            (("shop", SNAKE), ("kennel", PASCAL), ("ops", TERSE), ("air", AIRPORTS))}


ANSWERED = [
    ("shop", "Which customers never placed an order?",
     "SELECT name FROM shop.customers WHERE id NOT IN (SELECT customer_id FROM shop.orders)"),
    ("shop", "How many customers have placed more than 4 orders?",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM shop.orders GROUP BY 1 "
     "HAVING COUNT(*) > 4)"),
    ("shop", "How many customers have fewer than 5 orders?",  # none counts as fewer
     "SELECT COUNT(*) FROM shop.customers c WHERE (SELECT COUNT(*) FROM shop.orders o "
     "WHERE o.customer_id = c.id) < 5"),
    ("shop", "Which customers never placed an order over 80 dollars?",  # the orders' amount
     "SELECT name FROM shop.customers WHERE id NOT IN (SELECT customer_id FROM shop.orders "
     "WHERE amount > 80)"),
    ("shop", "How many customers have more than 1 order with an amount above 60?",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM shop.orders WHERE amount > 60 "
     "GROUP BY 1 HAVING COUNT(*) > 1)"),
    ("shop", "How many orders have more than 1 item?",  # the order's own items counted
     "SELECT COUNT(*) FROM (SELECT order_id FROM shop.order_items GROUP BY 1 "
     "HAVING COUNT(*) > 1)"),
    ("shop", "How many products have never been ordered?",
     "SELECT COUNT(*) FROM shop.products WHERE id NOT IN (SELECT product_id "
     "FROM shop.order_items)"),
    ("shop", "How many customers ordered in both 2022 and 2023?",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM shop.orders WHERE YEAR(created_at) = 2022 "
     "INTERSECT SELECT customer_id FROM shop.orders WHERE YEAR(created_at) = 2023)"),
    ("shop", "Which products are priced above the average?",
     "SELECT name FROM shop.products WHERE price > (SELECT AVG(price) FROM shop.products)"),
    ("shop", "How many customers are older than the average age?",
     "SELECT COUNT(*) FROM shop.customers WHERE age > (SELECT AVG(age) FROM shop.customers)"),
    ("shop", "Which customers placed no orders in 2023?",  # the orders' year, not theirs
     "SELECT name FROM shop.customers WHERE id NOT IN (SELECT customer_id FROM shop.orders "
     "WHERE YEAR(created_at) = 2023)"),
    ("shop", "Which customers never placed a Paid order?",  # the value narrows the orders
     "SELECT name FROM shop.customers WHERE id NOT IN (SELECT customer_id FROM shop.orders "
     "WHERE status = 'Paid')"),
    ("shop", "How many customers have more than 1 paid order?",
     "SELECT COUNT(*) FROM (SELECT customer_id FROM shop.orders WHERE status = 'Paid' "
     "GROUP BY 1 HAVING COUNT(*) > 1)"),
    ("kennel", "Which owners have no dogs?",
     "SELECT FirstName FROM kennel.Owners WHERE OwnerId NOT IN (SELECT OwnerId "
     "FROM kennel.Dogs WHERE OwnerId IS NOT NULL)"),
    ("kennel", "How many dogs have not gone through any treatment?",
     "SELECT COUNT(*) FROM kennel.Dogs WHERE DogId NOT IN (SELECT DogId FROM kennel.Treatments)"),
    ("kennel", "Which professionals have done at least three treatments?",
     "SELECT LastName FROM kennel.Professionals WHERE ProfessionalId IN (SELECT ProfessionalId "
     "FROM kennel.Treatments GROUP BY 1 HAVING COUNT(*) >= 3)"),
    ("kennel", "What is the average age of dogs that have gone through any treatment?",
     "SELECT AVG(Age) FROM kennel.Dogs WHERE DogId IN (SELECT DogId FROM kennel.Treatments)"),
    ("kennel", "How many professionals did not operate any treatment on dogs?",
     "SELECT COUNT(*) FROM kennel.Professionals WHERE ProfessionalId NOT IN "
     "(SELECT ProfessionalId FROM kennel.Treatments)"),
    ("kennel", "Which professionals have performed two or more treatments?",
     "SELECT LastName FROM kennel.Professionals WHERE ProfessionalId IN (SELECT ProfessionalId "
     "FROM kennel.Treatments GROUP BY 1 HAVING COUNT(*) >= 2)"),
    ("kennel", "How many professionals have ever treated dogs?",
     "SELECT COUNT(*) FROM kennel.Professionals WHERE ProfessionalId IN "
     "(SELECT ProfessionalId FROM kennel.Treatments)"),
    ("kennel", "How many dogs have an age of 5 or more?",  # one bound, not alternatives
     "SELECT COUNT(*) FROM kennel.Dogs WHERE Age >= 5"),
    ("kennel", "How many dogs are younger than the average age?",
     "SELECT COUNT(*) FROM kennel.Dogs WHERE Age < (SELECT AVG(Age) FROM kennel.Dogs)"),
    ("kennel", "What are the names of dogs aged either 3 or 5?",
     "SELECT Name FROM kennel.Dogs WHERE Age IN (3, 5)"),
    ("ops", "How many customers have no transactions?",
     "SELECT COUNT(*) FROM ops.cust WHERE cust_id NOT IN (SELECT cust_id FROM ops.txn)"),
    ("ops", "Which customers have at least 8 transactions?",
     "SELECT nm FROM ops.cust WHERE cust_id IN (SELECT cust_id FROM ops.txn GROUP BY 1 "
     "HAVING COUNT(*) >= 8)"),
    ("ops", "Which customers have bought at least 5 products?",  # distinct, through txn
     "SELECT nm FROM ops.cust WHERE cust_id IN (SELECT cust_id FROM ops.txn GROUP BY 1 "
     "HAVING COUNT(DISTINCT prod_id) >= 5)"),
    ("ops", "Which products were never bought by any customer?",
     "SELECT nm FROM ops.prod WHERE prod_id NOT IN (SELECT prod_id FROM ops.txn)"),
    ("ops", "How many customers made transactions in both 2023 and 2024?",
     "SELECT COUNT(*) FROM (SELECT cust_id FROM ops.txn WHERE YEAR(txn_dt) = 2023 "
     "INTERSECT SELECT cust_id FROM ops.txn WHERE YEAR(txn_dt) = 2024)"),
]


@pytest.mark.parametrize(("db", "question", "query"), ANSWERED)
def test_set_condition_answers_match_a_hand_written_query(
        dbs: dict[str, Path], db: str, question: str, query: str) -> None:
    assert_answers_like(dbs[db], question, query)


@pytest.mark.parametrize(("question", "words"), [
    ("Which customers never placed an order?", "no orders"),
    ("How many customers have placed more than 4 orders?", "more than 4 orders"),
    ("Which products are priced above the average?", "above the average price"),
])
def test_the_interpretation_names_the_condition(dbs: dict[str, Path], question: str,
                                                 words: str) -> None:
    answer = ask_db(dbs["shop"], question)

    assert answer.interpretation is not None
    assert words in " ".join(answer.interpretation.filters)
    # the answer's own sentence says it too: "There are 2 customers" alone would be misread
    assert words in answer.answer, answer.answer


@pytest.mark.parametrize(("db", "question", "reason"), [
    ("ops", "Which customers never returned a product?", "returned"),  # a verb saying more
    ("kennel", "Which owners have no cats?", "cats"),  # nothing named 'cats'
    ("kennel", "How many dogs never?", "never"),  # nothing to relate 'never' to
    ("kennel", "Which professionals did treatments costing less than the average?",
     "average"),  # the related rows' cost, not the professionals'
    ("kennel", "How many dogs have not more than 2 treatments?", "not"),
    ("air", "Which airports have no flights?", "more than one way"),  # origin or destination?
    ("shop", "How many customers are registered in both 2022 and 2023?", "both"),
    ("shop", "Which customers have any orders over 60?", "which column"),  # none is said
    ("ops", "Which customers with transactions in 2023 have no transactions in 2024?",
     "date"),  # whose dates are which cannot be told apart
])
def test_set_conditions_it_cannot_read_are_declined(dbs: dict[str, Path], db: str,
                                                     question: str, reason: str) -> None:
    answer = ask_db(dbs[db], question)

    assert not answer.answered, answer.sql
    assert answer.sql is None
    assert reason in answer.answer


def test_a_count_of_related_rows_is_a_condition_not_a_key_comparison(dbs: dict[str, Path]) -> None:
    cat = catalog_of(dbs["shop"], "shop")

    u = understand("How many customers have placed more than 4 orders?", cat)

    assert u.plan is not None and u.plan.subject.name == "customers"
    assert not u.plan.filters  # not customer_id > 4
    (cond,) = u.plan.conditions
    assert isinstance(cond, Related) and (cond.via.name, cond.op, cond.count) == ("orders", ">", 4)


def test_rows_and_groups_compare_with_the_average_differently(dbs: dict[str, Path]) -> None:
    cat = catalog_of(dbs["kennel"], "kennel")

    rows = understand("How many dogs are older than the average age?", cat).plan
    groups = understand("Which owners have dogs with an average age above the overall "
                        "average?", cat)

    assert rows is not None and isinstance(rows.conditions[0], Versus)
    assert not rows.conditions[0].grouped
    assert groups.plan is None or all(
        not isinstance(c, Versus) or c.grouped for c in groups.plan.conditions)


def test_a_bridge_counts_distinct_targets_and_none_is_not_exists(dbs: dict[str, Path]) -> None:
    cat = catalog_of(dbs["ops"], "ops")

    counted = understand("Which customers have bought at least 5 products?", cat).plan
    never = understand("Which products were never bought by any customer?", cat).plan

    assert counted is not None and never is not None
    (bridge,) = counted.conditions
    assert isinstance(bridge, Related) and bridge.via.name == "txn"
    assert bridge.target is not None and bridge.target.name == "prod"
    assert bridge.counted is not None and bridge.counted.name == "prod_id"
    tree = sqlglot.parse_one(to_sql(never), read="bigquery")
    (exists,) = list(tree.find_all(exp.Exists))
    assert isinstance(exists.parent, exp.Not)  # NULL-safe, unlike NOT IN
    inner = exists.find(exp.Select)
    assert inner is not None and inner.find(exp.Table).name == "txn"  # type: ignore[union-attr]
