"""Period comparisons: "X in 2024 vs 2023", "Q4 2024 vs Q4 2023", growth from one period to
another, month-over-month / year-over-year change. Read apart from the schema (``read``),
then linked to whatever date, timestamp or year column the schema has; each answer is
checked against a hand-written query on DuckDB, in several naming styles."""

from __future__ import annotations

from pathlib import Path

import pytest

from nl2sql.agent import Agent
from nl2sql.config import Settings
from nl2sql.models.offline import OfflinePlanner
from nl2sql.models.planner.periods import Reading, read
from nl2sql.models.planner.resolve import understand
from nl2sql.models.planner.sqlbuild import to_sql
from nl2sql.safety import Policy, check_sql
from nl2sql.warehouse.duckdb import DuckDBWarehouse, to_duckdb
from tests.models.planner.catalogs import catalog_of
from tests.models.planner.conftest import ask_db, gold, make_db

# snake_case with a DATE column; PascalCase with a TIMESTAMP; terse names with an integer
# year column. Rows spread over 2022-2025, with one month (2024-03) left empty on purpose.
SNAKE_SQL = """
CREATE SCHEMA shop;
CREATE TABLE shop.orders (id BIGINT, amount DOUBLE, order_date DATE);
INSERT INTO shop.orders SELECT i, 10 + i % 17, DATE '2022-01-01' + INTERVAL (i * 3) DAY
  FROM range(1, 480) t(i) WHERE strftime(DATE '2022-01-01' + INTERVAL (i * 3) DAY, '%Y-%m')
  <> '2024-03';
"""
PASCAL_SQL = """
CREATE SCHEMA Billing;
CREATE TABLE Billing.Invoice (InvoiceId BIGINT, TotalAmount DOUBLE, IssuedAt TIMESTAMP);
INSERT INTO Billing.Invoice SELECT i, 5 + i % 11,
  TIMESTAMP '2022-01-01 09:30' + INTERVAL (i * 2) DAY FROM range(1, 700) t(i);
"""
TERSE_SQL = """
CREATE SCHEMA uni;
CREATE TABLE uni.enrl (enrl_id BIGINT, stu_id BIGINT, acad_yr INTEGER, cr DOUBLE);
INSERT INTO uni.enrl SELECT i, i % 50, 2019 + i % 6, 1 + i % 4 FROM range(1, 400) t(i);
"""


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, object, str]]:
    out: dict[str, tuple[Path, object, str]] = {}
    for name, sql, dataset in (("snake", SNAKE_SQL, "shop"), ("pascal", PASCAL_SQL, "Billing"),
                               ("terse", TERSE_SQL, "uni")):
        db = make_db(tmp_path_factory, sql)
        out[name] = (db, catalog_of(db, dataset), dataset)
    return out


def _answer(dbs, name: str, question: str) -> tuple[str, list[list[object]]]:  # type: ignore[no-untyped-def]
    db, cat, dataset = dbs[name]
    u = understand(question, cat)
    assert u.plan is not None, u.problem
    sql = to_sql(u.plan)
    checked = check_sql(sql, Policy(frozenset({dataset})))  # the gate passes it
    return sql, gold(db, to_duckdb(checked.sql))


# -- reading, before any schema ------------------------------------------------------------

@pytest.mark.parametrize(("question", "kind", "labels", "unit"), [
    ("revenue in 2024 vs 2023", "compare", ["2023", "2024"], None),
    ("Sales in Q4 2024 versus Q4 2023?", "compare", ["Q4 2023", "Q4 2024"], None),
    ("orders in the first quarter of 2025 compared with 2024", "compare",
     ["Q1 2024", "Q1 2025"], None),
    ("Compare sales in Q3 and Q4 2024", "compare", ["Q3 2024", "Q4 2024"], None),
    ("How did sales in 2024 compare to 2023?", "compare", ["2023", "2024"], None),
    ("By what percentage did sales grow from 2023 to 2024?", "growth", ["2023", "2024"], None),
    ("How much did the number of orders increase between March 2024 and April 2024?",
     "growth", ["March 2024", "April 2024"], None),
    ("month-over-month growth of sales in 2024", "over", [], "MONTH"),
    ("YoY change in the number of orders", "over", [], "YEAR"),
    ("quarterly sales growth", "over", [], "QUARTER"),
])
def test_periods_are_read_whatever_the_schema(question: str, kind: str, labels: list[str],
                                              unit: str | None) -> None:
    r = read(question)

    assert isinstance(r, Reading), r
    assert (r.spec.kind, [p.label for p in r.spec.periods], r.spec.unit) == (kind, labels, unit)
    for word in ("vs", "versus", "compared", "grow", "growth", "over", "yoy", "percentage"):
        assert word not in r.rest.lower().split()  # accounted for by the comparison


@pytest.mark.parametrize("question", [
    "sales growth last quarter",  # which quarter, against which?
    "sales growth since last year vs the year before",
    "sales in 2024 vs 2024",
    "By what percentage did sales grow from 2025 to 2024?",  # backwards
])
def test_periods_that_cannot_be_read_precisely_are_declined(question: str) -> None:
    assert isinstance(read(question), str)


@pytest.mark.parametrize("question", ["How many orders were placed in 2023 and 2024?",
                                      "orders with a changed status", "total sales by year",
                                      "How many orders changed status by month?",
                                      "average population growth of countries by region"])
def test_questions_comparing_no_periods_are_left_alone(question: str) -> None:
    assert read(question) is None


# -- linked to a schema and run -------------------------------------------------------------

def test_two_years_side_by_side_on_a_date_column(dbs) -> None:  # type: ignore[no-untyped-def]
    sql, rows = _answer(dbs, "snake", "What was the total amount in 2024 vs 2023?")

    want = gold(dbs["snake"][0], "SELECT year(order_date), SUM(amount) FROM shop.orders "
                "WHERE year(order_date) IN (2023, 2024) GROUP BY 1 ORDER BY 1")
    assert [r[:2] for r in rows] == want
    (_, old), (_, new) = want
    assert rows[1][2:] == [old, pytest.approx(new - old), pytest.approx(100 * (new - old) / old)]
    assert rows[0][2:] == [None, None, None]  # the first period has nothing before it
    assert "LAG(" in sql


def test_same_quarter_of_two_years_on_a_timestamp(dbs) -> None:  # type: ignore[no-untyped-def]
    _, rows = _answer(dbs, "pascal", "total invoice amount in Q4 2024 vs Q4 2023")

    want = gold(dbs["pascal"][0], "SELECT year(IssuedAt), SUM(TotalAmount) FROM Billing.Invoice "
                "WHERE quarter(IssuedAt) = 4 AND year(IssuedAt) IN (2023, 2024) GROUP BY 1 "
                "ORDER BY 1")
    assert [r[:2] for r in rows] == want


def test_two_quarters_of_one_year(dbs) -> None:  # type: ignore[no-untyped-def]
    _, rows = _answer(dbs, "pascal", "How many invoices were issued in the second quarter of "
                      "2023 compared with the third quarter of 2023?")

    want = gold(dbs["pascal"][0], "SELECT quarter(IssuedAt), COUNT(*) FROM Billing.Invoice "
                "WHERE quarter(IssuedAt) IN (2, 3) AND year(IssuedAt) = 2023 GROUP BY 1 "
                "ORDER BY 1")
    assert [r[:2] for r in rows] == want


def test_growth_percentage_from_one_year_to_the_next(dbs) -> None:  # type: ignore[no-untyped-def]
    _, rows = _answer(dbs, "snake", "By what percentage did the total amount grow from 2023 "
                      "to 2024?")

    (old,), = gold(dbs["snake"][0], "SELECT SUM(amount) FROM shop.orders "
                   "WHERE year(order_date) = 2023")
    (new,), = gold(dbs["snake"][0], "SELECT SUM(amount) FROM shop.orders "
                   "WHERE year(order_date) = 2024")
    assert len(rows) == 1
    assert rows[0] == [old, new, pytest.approx(new - old), pytest.approx(100 * (new - old) / old)]


def test_consecutive_months_across_a_year_end(dbs) -> None:  # type: ignore[no-untyped-def]
    _, rows = _answer(dbs, "snake", "total amount in January 2024 vs December 2023")

    want = gold(dbs["snake"][0], "SELECT date_trunc('month', order_date)::DATE, SUM(amount) "
                "FROM shop.orders WHERE strftime(order_date, '%Y-%m') IN ('2023-12', '2024-01') "
                "GROUP BY 1 ORDER BY 1")
    assert [r[:2] for r in rows] == want and len(want) == 2
    assert rows[1][2] == want[0][1]


def test_growth_from_one_quarter_to_the_next_year(dbs) -> None:  # type: ignore[no-untyped-def]
    _, rows = _answer(dbs, "pascal", "percentage change in the number of invoices from Q4 2023 "
                      "to Q1 2024")

    (old,), = gold(dbs["pascal"][0], "SELECT COUNT(*) FROM Billing.Invoice "
                   "WHERE year(IssuedAt) = 2023 AND quarter(IssuedAt) = 4")
    (new,), = gold(dbs["pascal"][0], "SELECT COUNT(*) FROM Billing.Invoice "
                   "WHERE year(IssuedAt) = 2024 AND quarter(IssuedAt) = 1")
    assert rows == [[old, new, new - old, pytest.approx(100 * (new - old) / old)]]


def test_an_integer_year_column_serves_as_the_period(dbs) -> None:  # type: ignore[no-untyped-def]
    _, rows = _answer(dbs, "terse", "enrl in 2020 vs 2023")

    want = gold(dbs["terse"][0], "SELECT acad_yr, COUNT(*) FROM uni.enrl "
                "WHERE acad_yr IN (2020, 2023) GROUP BY 1 ORDER BY 1")
    assert [r[:2] for r in rows] == want


def test_month_over_month_skips_an_empty_month(dbs) -> None:  # type: ignore[no-untyped-def]
    sql, rows = _answer(dbs, "snake", "month-over-month growth of the total amount in 2024")

    db = dbs["snake"][0]
    want = gold(db, "SELECT date_trunc('month', order_date)::DATE, SUM(amount) FROM shop.orders "
                "WHERE year(order_date) = 2024 GROUP BY 1 ORDER BY 1")
    assert [r[:2] for r in rows] == want
    by_month = {r[0].month: r for r in rows}
    assert 3 not in by_month and by_month[4][2] is None  # April has no March to compare with
    (december,), = gold(db, "SELECT SUM(amount) FROM shop.orders "
                        "WHERE strftime(order_date, '%Y-%m') = '2023-12'")
    assert by_month[1][2] == december  # January against the December before it
    assert by_month[2][2] == by_month[1][1]
    assert by_month[2][4] == pytest.approx(100 * (by_month[2][1] - by_month[1][1])
                                           / by_month[1][1])
    assert "LAG(" in sql


def test_year_over_year_for_one_year_compares_it_with_the_year_before(dbs) -> None:  # type: ignore[no-untyped-def]
    _, rows = _answer(dbs, "pascal", "What was the year-over-year growth in the number of "
                      "invoices for 2024?")

    counts = dict(gold(dbs["pascal"][0], "SELECT year(IssuedAt), COUNT(*) FROM Billing.Invoice "
                       "GROUP BY 1"))
    assert rows == [[2024, counts[2024], counts[2023], counts[2024] - counts[2023],
                     pytest.approx(100 * (counts[2024] - counts[2023]) / counts[2023])]]


def test_year_over_year_on_a_timestamp(dbs) -> None:  # type: ignore[no-untyped-def]
    _, rows = _answer(dbs, "pascal", "YoY growth in the number of invoices")

    want = gold(dbs["pascal"][0], "SELECT year(IssuedAt), COUNT(*) FROM Billing.Invoice "
                "GROUP BY 1 ORDER BY 1")
    assert [r[:2] for r in rows] == want
    assert [r[2] for r in rows] == [None] + [n for _, n in want[:-1]]


@pytest.mark.parametrize(("name", "question"), [
    ("terse", "enrl in Q1 2020 vs Q1 2021"),  # a year column holds no quarters
    ("pascal", "invoices in 2023 vs Q1 2024"),  # a year against a quarter
    ("snake", "How did the total amount grow last year?"),  # against which period?
])
def test_comparisons_that_cannot_be_answered_are_declined(dbs, name: str, question: str) -> None:  # type: ignore[no-untyped-def]
    _, cat, _ = dbs[name]

    u = understand(question, cat)

    assert u.plan is None and u.problem


# -- through the agent, on the demo warehouse ------------------------------------------------

def test_the_agent_answers_a_quarter_comparison_and_says_how(demo_db: Path) -> None:
    answer = ask_db(demo_db, "revenue in Q4 2024 vs Q4 2023")

    assert answer.answered, answer.answer
    want = gold(demo_db, "SELECT year(created_at), SUM(sale_price) FROM "
                "thelook_ecommerce.order_items WHERE status NOT IN ('Cancelled', 'Returned') "
                "AND quarter(created_at) = 4 AND year(created_at) IN (2023, 2024) "
                "GROUP BY 1 ORDER BY 1")
    assert [[r[0], pytest.approx(r[1])] for r in answer.rows] == want
    read_as = answer.interpretation
    assert read_as is not None
    assert "Q4 2023" in read_as.time_window and "Q4 2024" in read_as.time_window
    assert "percent change = 100 * change" in read_as.definition
    assert "Cancelled" in " ".join(read_as.rules)  # revenue's documented rule still applies


def test_the_agent_answers_growth_as_one_row(demo_db: Path) -> None:
    answer = ask_db(demo_db, "By what percentage did the number of orders grow from 2023 to "
                    "2024?")

    assert answer.answered, answer.answer
    (old,), = gold(demo_db, "SELECT COUNT(*) FROM thelook_ecommerce.orders "
                   "WHERE year(created_at) = 2023")
    (new,), = gold(demo_db, "SELECT COUNT(*) FROM thelook_ecommerce.orders "
                   "WHERE year(created_at) = 2024")
    assert answer.rows == [[old, new, new - old, pytest.approx(100 * (new - old) / old)]]
    assert f"from {old} in 2023 to {new} in 2024" in answer.answer


def test_the_agent_declines_growth_without_periods(demo_db: Path) -> None:
    answer = ask_db(demo_db, "How fast did revenue grow?")

    assert not answer.answered and answer.sql is None


def test_a_follow_up_keeps_the_periods_compared(demo_db: Path) -> None:
    wh = DuckDBWarehouse(demo_db)
    try:
        agent = Agent(OfflinePlanner(), wh, Settings())
        first, conversation = agent.ask("How many orders were placed in 2024 compared with 2023?")
        second, _ = agent.ask("and by status?", conversation)
    finally:
        wh.close()

    assert first.answered and second.answered, second.answer
    want = gold(demo_db, "SELECT status, year(created_at), COUNT(*) FROM thelook_ecommerce.orders "
                "WHERE year(created_at) IN (2023, 2024) GROUP BY 1, 2 ORDER BY 1, 2")
    assert [r[:3] for r in second.rows] == want
    assert second.interpretation is not None
    assert "2023 compared with 2024" in second.interpretation.time_window
