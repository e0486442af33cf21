"""Stage test in sqlglot's fixture style: question + catalog -> SQL, against golden
files checked by hand; each golden query also runs and matches a hand-written one."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlglot

from nl2sql.models.planner.resolve import understand
from nl2sql.models.planner.sqlbuild import to_sql
from nl2sql.warehouse.duckdb import to_duckdb
from tests.models.planner.catalogs import catalog_of
from tests.models.planner.conftest import gold, make_db
from tests.models.planner.test_declines import SHOP_SQL

FIXTURE = Path(__file__).parent / "fixtures" / "shop_plans.sql"
# What each golden query must return, written independently of the planner.
TRUTH = {
    "How many orders are there by status?": "SELECT status, COUNT(*) FROM shop.orders GROUP BY 1",
    "Which countries have more than 5 customers?":
        "SELECT country, COUNT(*) FROM shop.customers GROUP BY 1 HAVING COUNT(*) > 5",
    "What is the median amount of orders by status?":
        "SELECT status, MEDIAN(amount) FROM shop.orders GROUP BY 1",
    "What are the top 3 countries by number of orders?":
        "SELECT c.country, COUNT(*) FROM shop.orders o JOIN shop.customers c "
        "ON o.customer_id = c.id GROUP BY 1 ORDER BY 2 DESC LIMIT 3",
}


def cases() -> list[tuple[str, str]]:
    blocks = FIXTURE.read_text().split("\n-- ")[1:]
    return [(b.split("\n", 1)[0], b.split("\n", 1)[1].strip()) for b in blocks]


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    db = make_db(tmp_path_factory, SHOP_SQL)
    return db, catalog_of(db, "shop")


@pytest.mark.parametrize(("question", "expected"), cases())
def test_question_to_sql_matches_the_golden_file(shop, question: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    db, cat = shop
    u = understand(question, cat)
    assert u.plan is not None, u.problem
    sql = to_sql(u.plan)
    norm = lambda s: sqlglot.parse_one(s, read="bigquery").sql(dialect="bigquery")  # noqa: E731
    assert norm(sql) == norm(expected)
    if question in TRUTH:
        got = gold(db, to_duckdb(sql))
        want = gold(db, TRUTH[question])
        width = len(want[0])
        assert sorted((r[:width] for r in got), key=str) == sorted(want, key=str)
