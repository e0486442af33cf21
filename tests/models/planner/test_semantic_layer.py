"""The dataset's semantic layer drives the planner, for any dataset with a definitions file:
metrics that join another table along a declared key, value aliases, column synonyms, and
explicit date ranges. End to end through the Agent on DuckDB files built here (a
non-demo dataset with its own definitions file, three naming styles), and on the demo
warehouse; plus the declines that must stay declines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from nl2sql.agent import Agent
from nl2sql.answer import Answer
from nl2sql.config import Settings
from nl2sql.models.offline import OfflinePlanner
from nl2sql.models.planner import ranges
from nl2sql.warehouse.duckdb import DuckDBWarehouse
from tests.models.planner.conftest import gold, make_db

# Three spellings of one small shop: lines sold, the articles they sell, the buyers.
STYLES = {
    "snake": dict(lines="sale_lines", items="articles", buyers="buyers", id="id",
                  item_fk="article_id", buyer_fk="buyer_id", net="net_amount",
                  cost="unit_cost", state="line_state", at="sold_at", joined="joined_at",
                  country="country_name", region="region", said="article region"),
    "pascal": dict(lines="SaleLines", items="Articles", buyers="Buyers", id="Id",
                   item_fk="ArticleId", buyer_fk="BuyerId", net="NetAmount", cost="UnitCost",
                   state="LineState", at="SoldAt", joined="JoinedAt", country="CountryName",
                   region="Region", said="article region"),
    "terse": dict(lines="sl", items="art", buyers="byr", id="id", item_fk="art_id",
                  buyer_fk="byr_id", net="net", cost="ucost", state="st", at="ts",
                  joined="jnd", country="ctry", region="rgn", said="art rgn"),
}


def _sql(n: dict[str, str]) -> str:
    return f"""
CREATE SCHEMA shop;
CREATE TABLE shop.{n['buyers']} ({n['id']} BIGINT, {n['country']} VARCHAR, {n['region']} VARCHAR,
    {n['joined']} TIMESTAMP);
CREATE TABLE shop.{n['items']} ({n['id']} BIGINT, {n['cost']} DOUBLE, {n['region']} VARCHAR);
CREATE TABLE shop.{n['lines']} ({n['id']} BIGINT, {n['item_fk']} BIGINT, {n['buyer_fk']} BIGINT,
    {n['net']} DOUBLE, {n['state']} VARCHAR, {n['at']} TIMESTAMP);
INSERT INTO shop.{n['buyers']} SELECT i, ['Germany', 'New Zealand', 'France'][1 + i % 3],
    ['North', 'South'][1 + i % 2], TIMESTAMP '2021-03-01' + INTERVAL (i * 37) DAY
    FROM range(1, 41) t(i);
INSERT INTO shop.{n['items']} SELECT i, i * 1.5, ['Alpha', 'Beta'][1 + i % 2]
    FROM range(1, 21) t(i);
INSERT INTO shop.{n['lines']} SELECT i, 1 + i % 20, 1 + i % 40, 10 + i % 17,
    ['kept', 'void', 'kept', 'kept', 'back'][1 + i % 5],
    TIMESTAMP '2023-01-01' + INTERVAL (i * 2) DAY FROM range(1, 500) t(i);
"""


def _definitions(n: dict[str, str]) -> dict[str, Any]:
    """What a data team writes about the shop: a margin that needs the articles' cost,
    the countries' short names, what a buyer's first timestamp is called."""
    return {
        "dataset": "shop",
        "semantic_models": [
            {"name": "lines", "table": n["lines"], "time_column": n["at"],
             "entities": [{"name": "line", "type": "primary", "expr": n["id"]},
                          {"name": "article", "type": "foreign", "expr": n["item_fk"]},
                          {"name": "buyer", "type": "foreign", "expr": n["buyer_fk"]}]},
            {"name": "articles", "table": n["items"],
             "entities": [{"name": "article", "type": "primary", "expr": n["id"]}]},
            {"name": "buyers", "table": n["buyers"], "time_column": n["joined"],
             "synonyms": ["shoppers"],
             "entities": [{"name": "buyer", "type": "primary", "expr": n["id"]}],
             "dimensions": [
                 {"name": "country", "expr": n["country"], "type": "categorical",
                  "values": {"nz": "New Zealand", "deutschland": "Germany"}},
                 {"name": "joined", "expr": n["joined"], "type": "time",
                  "synonyms": ["signed up", "signup date"]}]},
        ],
        "metrics": [{
            "name": "margin", "description": "Net amount minus the article's unit cost, "
                                             "for lines that were kept.",
            "table": n["lines"], "expression": f"SUM({n['net']} - {n['items']}.{n['cost']})",
            "filters": [f"{n['state']} = 'kept'"], "time_column": n["at"]}, {
            "name": "spend_per_buyer", "description": "A ratio: no part of it adds up to it.",
            "table": n["lines"],
            "expression": f"SAFE_DIVIDE(SUM({n['net']}), COUNT(DISTINCT {n['buyer_fk']}))"}],
    }


@pytest.fixture(scope="module", params=sorted(STYLES))
def shop(request: pytest.FixtureRequest,
         tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    n = STYLES[request.param]
    db = make_db(tmp_path_factory, _sql(n))
    own = tmp_path_factory.mktemp("datasets")
    (own / "shop.yaml").write_text(yaml.safe_dump(_definitions(n), sort_keys=False))
    return db, own, n


def _ask(db: Path, datasets_dir: Path, question: str) -> Answer:
    wh = DuckDBWarehouse(db)
    try:
        settings = Settings(datasets_dir=str(datasets_dir))
        return Agent(OfflinePlanner(), wh, settings).ask(question)[0]
    finally:
        wh.close()


def _same(got: list[list[object]], want: list[list[object]]) -> bool:
    def key(rows: list[list[object]]) -> list[tuple[object, ...]]:
        return sorted((tuple(round(v, 6) if isinstance(v, float) else v for v in r)
                       for r in rows), key=str)
    return key(got) == key(want)


def test_a_metric_over_a_joined_table_joins_it_along_the_declared_key(shop: Any) -> None:
    db, own, n = shop
    answer = _ask(db, own, "What was the margin in 2023?")
    assert answer.answered, answer.answer
    want = gold(db, f"SELECT SUM(l.{n['net']} - a.{n['cost']}) FROM shop.{n['lines']} l "
                    f"JOIN shop.{n['items']} a ON l.{n['item_fk']} = a.{n['id']} "
                    f"WHERE l.{n['state']} = 'kept' AND EXTRACT(YEAR FROM l.{n['at']}) = 2023")
    assert _same(answer.rows, want), answer.sql
    read = answer.interpretation
    assert read is not None
    assert any(n["items"] in j for j in read.joins)  # the join is part of the reading
    assert any(f"{n['state']} = 'kept'" in r for r in read.rules)


def test_a_metric_over_a_joined_table_by_a_column_of_that_table(shop: Any) -> None:
    db, own, n = shop
    answer = _ask(db, own, f"margin by {n['said']}")
    assert answer.answered, answer.answer
    want = gold(db, f"SELECT a.{n['region']}, SUM(l.{n['net']} - a.{n['cost']}) "
                    f"FROM shop.{n['lines']} l JOIN shop.{n['items']} a "
                    f"ON l.{n['item_fk']} = a.{n['id']} WHERE l.{n['state']} = 'kept' GROUP BY 1")
    assert _same(answer.rows, want), answer.sql


def test_a_value_alias_and_an_acronym_are_the_values_they_stand_for(shop: Any) -> None:
    db, own, n = shop
    for question, value in (("How many buyers are in NZ?", "New Zealand"),
                            ("How many buyers are from deutschland?", "Germany")):
        answer = _ask(db, own, question)
        assert answer.answered, answer.answer
        want = gold(db, f"SELECT COUNT(*) FROM shop.{n['buyers']} "
                        f"WHERE {n['country']} = '{value}'")
        assert answer.rows == want, answer.sql
        assert answer.interpretation is not None
        assert any(value in r for r in answer.interpretation.rules), answer.interpretation


def test_a_column_synonym_names_the_time_column(shop: Any) -> None:
    db, own, n = shop
    answer = _ask(db, own, "How many buyers signed up in 2022?")
    assert answer.answered, answer.answer
    want = gold(db, f"SELECT COUNT(*) FROM shop.{n['buyers']} "
                    f"WHERE EXTRACT(YEAR FROM {n['joined']}) = 2022")
    assert answer.rows == want, answer.sql


def test_an_explicit_date_range_filters_the_metric_time_column(shop: Any) -> None:
    db, own, n = shop
    want = gold(db, f"SELECT SUM(l.{n['net']} - a.{n['cost']}) FROM shop.{n['lines']} l "
                    f"JOIN shop.{n['items']} a ON l.{n['item_fk']} = a.{n['id']} "
                    f"WHERE l.{n['state']} = 'kept' AND l.{n['at']} >= '2023-03-05' "
                    f"AND l.{n['at']} < '2023-04-11'")
    for question in ("What was the margin between 2023-03-05 and 2023-04-10?",
                     "margin from March 5 to April 10, 2023"):
        answer = _ask(db, own, question)
        assert answer.answered, answer.answer
        assert _same(answer.rows, want), answer.sql
        assert answer.interpretation is not None
        assert any("2023-03-05" in r for r in answer.interpretation.rules)


@pytest.mark.parametrize("question", [
    "What was the margin from March 5 to April 10?",  # which year?
    "What was the margin from April 10 to March 5 2023?",  # ends before it starts
    "What share of the spend per buyer comes from NZ buyers?",  # a ratio has no share
])
def test_what_the_layer_cannot_apply_stays_declined(shop: Any, question: str) -> None:
    db, own, _ = shop
    answer = _ask(db, own, question)
    assert not answer.answered, (answer.sql, answer.rows)


@pytest.mark.parametrize("question", [
    "What was the margin of void lines?",
    "What share of the margin comes from void lines?",
])
def test_a_filter_the_metric_rule_leaves_out_declines_and_names_the_rule(
        shop: Any, question: str) -> None:
    db, own, n = shop
    answer = _ask(db, own, question)  # margin counts kept lines only: "none" by definition
    assert not answer.answered, (answer.sql, answer.rows)
    assert f"{n['state']} = 'kept'" in answer.answer and "'void'" in answer.answer


def test_a_share_of_a_metric_weights_by_the_metric_under_its_own_rules(shop: Any) -> None:
    db, own, n = shop
    lines = (f"FROM shop.{n['lines']} l JOIN shop.{n['items']} a ON l.{n['item_fk']} = "
             f"a.{n['id']} JOIN shop.{n['buyers']} b ON l.{n['buyer_fk']} = b.{n['id']} "
             f"WHERE l.{n['state']} = 'kept'")
    margin = f"l.{n['net']} - a.{n['cost']}"
    want = gold(db, f"SELECT 100 * SUM(CASE WHEN b.{n['country']} = 'New Zealand' THEN {margin} "
                    f"END) / SUM({margin}) {lines}")
    for question in ("What share of the margin comes from NZ buyers?",
                     "What percentage of margin is from buyers in New Zealand?"):
        answer = _ask(db, own, question)
        assert answer.answered, answer.answer
        assert _same([answer.rows[0][:1]], want), answer.sql
        assert "% of margin" in answer.answer  # a share of the margin, not of the lines
        assert answer.interpretation is not None
        assert "share of margin" in answer.interpretation.measure
        assert any(f"{n['state']} = 'kept'" in r for r in answer.interpretation.rules)
    answer = _ask(db, own, f"share of margin by {n['said']}")
    assert answer.answered, answer.answer
    want = gold(db, f"SELECT a.{n['region']}, 100 * SUM({margin}) / SUM(SUM({margin})) OVER () "
                    f"{lines} GROUP BY 1")
    assert _same([r[:2] for r in answer.rows], want), answer.sql


def test_without_the_definitions_the_same_words_are_declined(shop: Any,
                                                            tmp_path: Path) -> None:
    db, _, _ = shop
    for question in ("What was the margin in 2023?", "How many buyers are in NZ?"):
        answer = _ask(db, tmp_path, question)  # a directory with no file for the dataset
        assert not answer.answered, answer.sql


def test_ranges_read_the_dates_said() -> None:
    r = ranges.read("How many orders from Black Friday to Cyber Monday 2024 (Nov 29 - Dec 2)?")
    assert isinstance(r, ranges.Range)
    assert (r.start, r.end, r.rest) == ("2024-11-29", "2024-12-03", "How many orders in 2024 ?")
    r = ranges.read("orders between March 2024 and May 2024")
    assert isinstance(r, ranges.Range) and (r.start, r.end) == ("2024-03-01", "2024-06-01")
    r = ranges.read("orders from Dec 20 2023 to Jan 5 2024")
    assert isinstance(r, ranges.Range) and (r.start, r.end) == ("2023-12-20", "2024-01-06")
    assert ranges.read("users from Texas to Ohio") is None
    assert isinstance(ranges.read("orders from March to May"), str)  # no year: declined


# -- the demo warehouse: its definitions, end to end -------------------------------

DEMO = [
    ("What was our profit in 2024?",
     "SELECT SUM(oi.sale_price - p.cost) FROM thelook_ecommerce.order_items oi "
     "JOIN thelook_ecommerce.products p ON oi.product_id = p.id WHERE oi.status NOT IN "
     "('Cancelled', 'Returned') AND EXTRACT(YEAR FROM oi.created_at) = 2024"),
    ("what was the order cancellation rate in 2023",
     "SELECT COUNTIF(status = 'Cancelled') / COUNT(*) FROM thelook_ecommerce.orders "
     "WHERE EXTRACT(YEAR FROM created_at) = 2023"),
    ("How many units are in stock?",
     "SELECT COUNT(*) FROM thelook_ecommerce.inventory_items WHERE sold_at IS NULL"),
    ("top 5 US states by number of users",
     "SELECT state, COUNT(*) AS n FROM thelook_ecommerce.users WHERE country = "
     "'United States' GROUP BY state ORDER BY n DESC, state LIMIT 5"),
    ("How many orders were placed from Black Friday to Cyber Monday 2024 (Nov 29 - Dec 2)?",
     "SELECT COUNT(*) FROM thelook_ecommerce.orders WHERE created_at >= '2024-11-29' "
     "AND created_at < '2024-12-03'"),
]


@pytest.mark.parametrize("question, sql", DEMO)
def test_the_demo_definitions_answer_analyst_questions(settings: Settings, demo_db: Path,
                                                       question: str, sql: str) -> None:
    wh = DuckDBWarehouse(demo_db)
    try:
        answer = Agent(OfflinePlanner(), wh, settings).ask(question)[0]
    finally:
        wh.close()
    assert answer.answered, answer.answer
    want = gold(demo_db, sql.replace("COUNTIF(status = 'Cancelled')",
                                     "COUNT(*) FILTER (WHERE status = 'Cancelled')"))
    assert _same(answer.rows, want), answer.sql
