"""Plan -> SQL, without the parser: each plan shape is built with sqlglot's builder, passes
the safety gate, runs on DuckDB and returns what a hand-written query returns."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from nl2sql.models.planner.catalog import Column, Join, Table
from nl2sql.models.planner.cues import Relative
from nl2sql.models.planner.plan import Filter, GroupKey, Measure, Plan
from nl2sql.models.planner.sqlbuild import lookup_sql, to_sql
from nl2sql.safety import Policy, check_sql
from nl2sql.warehouse.duckdb import to_duckdb
from tests.models.planner.conftest import gold, make_db

# PascalCase names, a reserved word as a column ("Order"), a DATE and a TIMESTAMP.
SALES_SQL = """
CREATE SCHEMA Sales;
CREATE TABLE Sales.Region (RegionId BIGINT, RegionName VARCHAR);
CREATE TABLE Sales.Invoice (InvoiceId BIGINT, RegionId BIGINT, "Order" VARCHAR,
                            Amount DOUBLE, IssuedOn DATE, PaidAt TIMESTAMP);
INSERT INTO Sales.Region VALUES (1, 'North'), (2, 'South'), (3, 'East');
INSERT INTO Sales.Invoice SELECT i, 1 + i % 3, ['web', 'shop'][1 + i % 2],
  CASE WHEN i % 7 = 0 THEN NULL ELSE i * 2.5 END,
  DATE '2023-01-01' + INTERVAL (i * 5) DAY, TIMESTAMP '2023-01-01 08:00' + INTERVAL (i * 5) DAY
  FROM range(1, 201) t(i);
"""


@pytest.fixture(scope="module")
def sales_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SALES_SQL)


def _tables() -> tuple[Table, Table]:
    region = Table("Sales.Region")
    region.columns = [Column("RegionId", "INT64", region.id),
                      Column("RegionName", "STRING", region.id)]
    inv = Table("Sales.Invoice")
    inv.columns = [Column("InvoiceId", "INT64", inv.id), Column("RegionId", "INT64", inv.id),
                   Column("Order", "STRING", inv.id), Column("Amount", "FLOAT64", inv.id),
                   Column("IssuedOn", "DATE", inv.id), Column("PaidAt", "TIMESTAMP", inv.id)]
    return region, inv


def _col(t: Table, name: str) -> Column:
    c = t.column(name)
    assert c is not None
    return c


def _run(db: Path, sql: str) -> list[list[object]]:
    checked = check_sql(sql, Policy(frozenset({"Sales"})))  # raises UnsafeSQL if refused
    return gold(db, to_duckdb(checked.sql))


def _plans() -> dict[str, tuple[Plan, str]]:
    region, inv = _tables()
    join = Join(inv, _col(inv, "RegionId"), region, _col(region, "RegionId"))
    by_region = GroupKey(_col(region, "RegionName"))
    return {
        "median per group": (
            Plan(inv, [Measure("MEDIAN", _col(inv, "Amount"))], groups=[GroupKey(
                _col(inv, "Order"))]),
            'SELECT "Order", MEDIAN(Amount) FROM Sales.Invoice GROUP BY 1'),
        "sum by joined label, having": (
            Plan(inv, [Measure("SUM", _col(inv, "Amount"))], groups=[by_region], joins=[join],
                 having=[(">", 60)]),
            "SELECT r.RegionName, SUM(i.Amount) FROM Sales.Invoice i JOIN Sales.Region r "
            "ON i.RegionId = r.RegionId GROUP BY 1 HAVING COUNT(*) > 60"),
        "share of rows": (
            Plan(inv, [Measure("SHARE")], groups=[GroupKey(_col(inv, "Order"))]),
            'SELECT "Order", COUNT(*), 100 * COUNT(*) / SUM(COUNT(*)) OVER () '
            "FROM Sales.Invoice GROUP BY 1"),
        "percentage meeting a condition": (
            Plan(inv, [Measure("PCT", condition=(Filter(_col(inv, "Order"), "=", ("web",)),))]),
            "SELECT 100 * COUNT(*) FILTER (WHERE \"Order\" = 'web') / COUNT(*) "
            "FROM Sales.Invoice"),
        "months of one year on a DATE": (
            Plan(inv, [Measure("COUNT")], groups=[GroupKey(_col(inv, "IssuedOn"), "MONTH")],
                 filters=[Filter(_col(inv, "IssuedOn"), "=", (2023,), "YEAR")]),
            "SELECT month(IssuedOn), COUNT(*) FROM Sales.Invoice "
            "WHERE year(IssuedOn) = 2023 GROUP BY 1"),
        "quarters on a TIMESTAMP": (
            Plan(inv, [Measure("AVG", _col(inv, "Amount"))],
                 groups=[GroupKey(_col(inv, "PaidAt"), "QUARTER")]),
            "SELECT date_trunc('quarter', PaidAt)::DATE, AVG(Amount) FROM Sales.Invoice "
            "GROUP BY 1"),
        "top rows with a value set": (
            Plan(inv, rows=[_col(inv, "InvoiceId"), _col(inv, "Amount")],
                 order_column=_col(inv, "Amount"), desc=True, limit=3,
                 filters=[Filter(_col(inv, "Order"), "!=", ("web", "other"))]),
            "SELECT InvoiceId, Amount FROM Sales.Invoice WHERE \"Order\" NOT IN ('web', "
            "'other') AND Amount IS NOT NULL ORDER BY Amount DESC LIMIT 3"),
        "relative to today": (
            Plan(inv, [Measure("COUNT")],
                 filters=[Filter(_col(inv, "PaidAt"), "=", (Relative("YEAR", -1),), "YEAR")]),
            "SELECT COUNT(*) FROM Sales.Invoice "
            "WHERE year(PaidAt) = year(current_date) - 1"),
    }


@pytest.mark.parametrize("case", list(_plans()))
def test_each_plan_shape_passes_the_gate_and_answers_like_hand_written_sql(
        sales_db: Path, case: str) -> None:
    plan, truth = _plans()[case]
    sql = to_sql(plan)

    got, want = _run(sales_db, sql), gold(sales_db, truth)

    width = len(want[0])
    assert sorted((r[:width] for r in got), key=str) == sorted(want, key=str), sql
    _run(sales_db, to_sql(plan, defensive=True))  # the repair attempt is valid SQL too


def test_names_are_identifiers_quoted_by_sqlglot_not_text() -> None:
    region, inv = _tables()
    plan = Plan(inv, [Measure("COUNT")], groups=[GroupKey(_col(inv, "Order"))])

    tree = sqlglot.parse_one(to_sql(plan), read="bigquery")

    assert [c.name for c in tree.find_all(exp.Column)][:1] == ["Order"]
    assert "`Order`" in to_sql(plan)  # a reserved word, quoted by sqlglot's rules


def test_median_is_exact_on_an_even_number_of_values(sales_db: Path) -> None:
    _, inv = _tables()
    plan = Plan(inv, [Measure("MEDIAN", _col(inv, "Amount"))],
                filters=[Filter(_col(inv, "InvoiceId"), "<=", (4,))])

    assert _run(sales_db, to_sql(plan)) == [[6.25]]  # 2.5, 5, 7.5, 10 -> (5 + 7.5) / 2
    assert "APPROX" not in to_sql(plan)


def test_lookup_finds_the_column_holding_a_value(sales_db: Path) -> None:
    region, inv = _tables()
    sql = lookup_sql(["south", "web"], [region, inv])
    assert sql is not None

    rows = _run(sales_db, sql)

    assert {(r[0], r[1]) for r in rows} == {("Sales.Region.RegionName", "South"),
                                            ("Sales.Invoice.Order", "web")}
    assert lookup_sql([], [region]) is None
