"""Averages per thing: "average number of loans per member" (rows per key, averaged over
the keys that have rows), a clause restating that ("counting only members with at least
one loan"), "per <noun>" naming a person table by a person word ("per customer" on
users), and "average number of parcels per shipment" on shipments, whose rows already are
one shipment each. Checked against hand-written queries on DuckDB."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

SQL = """
CREATE SCHEMA lib;
CREATE TABLE lib.members (id BIGINT, name VARCHAR);
INSERT INTO lib.members SELECT i, 'member ' || i FROM range(1, 41) t(i);
CREATE TABLE lib.loans (id BIGINT, member_id BIGINT, renewals INTEGER, loaned_on DATE);
INSERT INTO lib.loans SELECT i, 1 + (i * i) % 23, i % 3, DATE '2024-01-01' + INTERVAL (i) DAY
  FROM range(1, 200) t(i);
CREATE TABLE lib.shipments (id BIGINT, number_of_parcels INTEGER, sent_on DATE);
INSERT INTO lib.shipments SELECT i, 1 + i % 5, DATE '2024-01-01' + INTERVAL (i) DAY
  FROM range(1, 90) t(i);
"""
# one table of persons, named for users: "customer" names it
SHOP_SQL = """
CREATE SCHEMA shop;
CREATE TABLE shop.users (id BIGINT, first_name VARCHAR, country VARCHAR);
INSERT INTO shop.users SELECT i, 'user ' || i, CASE WHEN i % 3 = 0 THEN 'France' ELSE 'Peru' END
  FROM range(1, 31) t(i);
CREATE TABLE shop.orders (id BIGINT, user_id BIGINT, amount DOUBLE);
INSERT INTO shop.orders SELECT i, 1 + (i * 7) % 19, i % 13 FROM range(1, 120) t(i);
"""
PER_MEMBER = ("SELECT AVG(n) FROM (SELECT member_id, COUNT(*) AS n FROM lib.loans "
              "GROUP BY member_id)")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SQL)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SHOP_SQL)


@pytest.mark.parametrize("question", [
    "average number of loans per member",
    "average number of loans per member, counting members who loaned at least once",
    "average number of loans per member, counting only members with at least one loan",
])
def test_an_average_count_per_key_is_over_the_keys_that_have_rows(db: Path,
                                                                  question: str) -> None:
    assert_answers_like(db, question, PER_MEMBER)


def test_a_clause_about_other_rows_than_those_counted_is_declined(db: Path) -> None:
    answer = ask_db(db, "average number of loans per member, counting members who renewed "
                        "at least once")
    assert not answer.answered
    assert "renewed" in answer.answer


def test_a_person_word_names_the_one_table_of_persons_when_grouping(shop: Path) -> None:
    assert_answers_like(shop, "average number of orders per customer",
                        "SELECT AVG(n) FROM (SELECT user_id, COUNT(*) AS n FROM shop.orders "
                        "GROUP BY user_id)")
    assert_answers_like(shop, "number of orders by customer",
                        "SELECT COUNT(*) FROM shop.orders GROUP BY user_id")


def test_per_the_subject_itself_is_the_grain_of_an_average_of_its_column(db: Path) -> None:
    assert_answers_like(db, "average number of parcels per shipment",
                        "SELECT AVG(number_of_parcels) FROM lib.shipments")


def test_per_another_table_is_not_taken_as_the_grain(db: Path) -> None:
    # renewals are a column of loans: "per member" is a grouping the average would ignore
    answer = ask_db(db, "average renewals per member")
    assert answer.answered and len(answer.rows) > 1  # one average per member, not one overall
