""""un-" before a participle that names a true/false column ("unpaid invoices" over
``paid BOOLEAN``, "unverified clients" over ``Verified``) is not read as the column being
empty: a flag says "not" with false, so ``paid IS NULL`` counted no rows, a confident
wrong answer. The word stays unaccounted and the question is declined. Snake case and
PascalCase."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.planner.conftest import ask_db, make_db

SNAKE_SQL = """
CREATE SCHEMA crm;
CREATE TABLE crm.customers (customer_id INTEGER, full_name VARCHAR, verified BOOLEAN,
    married BOOLEAN);
INSERT INTO crm.customers SELECT i, 'C' || i, i % 2 = 0, i % 3 = 0 FROM range(1, 41) t(i);
CREATE TABLE crm.invoices (invoice_id INTEGER, customer_id INTEGER, paid BOOLEAN,
    amount DECIMAL(8,2));
INSERT INTO crm.invoices SELECT i, 1 + i % 40, i % 4 <> 0, 10 + i FROM range(1, 91) t(i);
"""

CAMEL_SQL = """
CREATE SCHEMA Sales;
CREATE TABLE Sales.Bills (BillId INTEGER, ClientId INTEGER, Paid BOOLEAN, Amount DECIMAL(8,2));
INSERT INTO Sales.Bills SELECT i, 1 + i % 40, i % 4 <> 0, 10 + i FROM range(1, 91) t(i);
CREATE TABLE Sales.Clients (ClientId INTEGER, FullName VARCHAR, Verified BOOLEAN);
INSERT INTO Sales.Clients SELECT i, 'C' || i, i % 2 = 0 FROM range(1, 41) t(i);
"""


@pytest.fixture(scope="module")
def snake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SNAKE_SQL)


@pytest.fixture(scope="module")
def camel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, CAMEL_SQL)


@pytest.mark.parametrize("db,question", [
    ("snake", "How many unpaid invoices are there?"),
    ("snake", "How many unverified customers are there?"),
    ("snake", "How many unmarried customers are there?"),
    ("camel", "How many unpaid bills are there?"),
    ("camel", "How many unverified clients are there?"),
])
def test_a_flag_is_not_read_as_an_empty_column(request: pytest.FixtureRequest, db: str,
                                               question: str) -> None:
    answer = ask_db(request.getfixturevalue(db), question)
    assert not answer.answered, answer.sql
