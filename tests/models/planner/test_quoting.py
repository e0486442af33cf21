"""Names and values from the warehouse cannot break out of the SQL the planner writes
(issue 11's security bullet): identifiers and literals are rendered by sqlglot."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from nl2sql.models.planner.sqlbuild import ident, literal
from tests.models.planner.conftest import ask_db, gold, make_db

# A column whose name ends in a backslash and a backtick: with the backslash left
# unescaped, `region\`` would close the identifier early and the rest would be SQL.
HOSTILE_SQL = """
CREATE SCHEMA shop;
CREATE TABLE shop.items (id BIGINT, "region\\`" VARCHAR, "order" VARCHAR, price DOUBLE);
INSERT INTO shop.items VALUES (1, 'North', 'a', 10), (2, 'North', 'b', 20),
  (3, 'South', 'c', 30), (4, 'O''Neil\\', 'd', 40);
"""


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, HOSTILE_SQL)


@pytest.mark.parametrize("name", ["c\\`", "a`b", "x`) OR TRUE --", "order", "select", "x y"])
def test_identifiers_round_trip_through_sqlglot(name: str) -> None:
    tree = sqlglot.parse_one(f"SELECT {ident(name)} FROM t", read="bigquery")
    assert isinstance(tree, exp.Select)
    assert [c.name for c in tree.expressions] == [name]  # one column, named exactly that


@pytest.mark.parametrize("value", ["O'Neil\\", "x' OR '1'='1", "back\\'slash", "new\nline"])
def test_literals_round_trip_through_sqlglot(value: str) -> None:
    tree = sqlglot.parse_one(f"SELECT 1 FROM t WHERE c = {literal(value)}", read="bigquery")
    where = tree.find(exp.EQ)
    assert where is not None and where.expression.this == value


def test_a_column_named_with_a_backtick_is_grouped_by_not_injected(hostile_db: Path) -> None:
    answer = ask_db(hostile_db, "How many items are there by region?")

    assert answer.answered, answer.answer
    expected = gold(hostile_db, 'SELECT "region\\`", COUNT(*) FROM shop.items GROUP BY 1')
    assert sorted(answer.rows, key=str) == sorted(expected, key=str), answer.sql
