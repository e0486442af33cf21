"""A column is not the one asked for when its name keeps a word the question leaves out that
changes what it holds: "order amount" is not min_order_amt (nor "loan amount"
MaxLoanAmount), and "price" is neither price_usd nor price_eur when a table has both. Those
decline; saying the word finds the column."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

SQL = """
CREATE SCHEMA shop;
CREATE TABLE shop.customers (id BIGINT, name VARCHAR, min_order_amt DOUBLE);
CREATE TABLE shop.items (id BIGINT, name VARCHAR, price_usd DOUBLE, price_eur DOUBLE);
INSERT INTO shop.customers SELECT i, 'C' || i, 10 * i FROM range(1, 6) t(i);
INSERT INTO shop.items SELECT i, 'I' || i, i * 2.0, i * 1.8 FROM range(1, 6) t(i);
CREATE SCHEMA Bank;
CREATE TABLE Bank.Branches (BranchId BIGINT, BranchName VARCHAR, MaxLoanAmount DOUBLE);
INSERT INTO Bank.Branches SELECT i, 'B' || i, 1000.0 * i FROM range(1, 6) t(i);
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SQL)


@pytest.mark.parametrize("question", [
    "What is the average order amount of customers?",
    "What is the average loan amount of branches?",
    "What is the average price of items?",
])
def test_a_column_keeping_an_unsaid_qualifier_is_not_read(db: Path, question: str) -> None:
    answer = ask_db(db, question)
    assert not answer.answered, answer.sql


@pytest.mark.parametrize(("question", "query"), [
    ("What is the average min order amount of customers?",
     "SELECT AVG(min_order_amt) FROM shop.customers"),
    ("What is the average max loan amount of branches?",
     "SELECT AVG(MaxLoanAmount) FROM Bank.Branches"),
])
def test_saying_the_qualifier_finds_the_column(db: Path, question: str, query: str) -> None:
    assert_answers_like(db, question, query)
