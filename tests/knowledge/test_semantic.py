"""Semantic definitions: validated, gate-checked, handed to the models, and true on the demo."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nl2sql.config import Settings
from nl2sql.errors import ConfigError
from nl2sql.knowledge import load_file, parse, semantic_layer
from nl2sql.safety import Policy, check_sql
from nl2sql.schemas import SCHEMAS_DIR
from nl2sql.tools import Toolbox
from nl2sql.warehouse.duckdb import DuckDBWarehouse

DEFINITION_FILES = sorted((SCHEMAS_DIR / "datasets").glob("*.yaml"))


def _minimal(**metric: object) -> dict:
    return {"dataset": "shop", "metrics": [{"name": "m", "description": "d", **metric}]}


@pytest.mark.parametrize("path", DEFINITION_FILES, ids=lambda p: p.name)
def test_every_definitions_file_validates_and_passes_the_gate(path: Path) -> None:
    layer = load_file(path, expect_dataset=path.stem)
    assert layer.dataset == path.stem and layer.metrics


def test_list_tables_hands_the_definitions_to_the_model(settings: Settings) -> None:
    wh = DuckDBWarehouse(settings.warehouse.removeprefix("duckdb:///"), settings)
    try:
        out = Toolbox(wh, settings).call("list_tables", {"dataset_id": "thelook_ecommerce"}).payload
    finally:
        wh.close()
    metrics = {m["name"]: m for m in out["metrics"]}
    assert metrics["revenue"]["table"] == "thelook_ecommerce.order_items"
    assert metrics["revenue"]["expression"] == "SUM(sale_price)"
    assert metrics["revenue"]["filters"] == ["status NOT IN ('Cancelled', 'Returned')"]
    assert "sales" in metrics["revenue"]["synonyms"]
    assert metrics["gross_profit"]["expression"] == "SUM(sale_price - products.cost)"
    assert metrics["gross_profit"]["joins"] == ["order_items.product_id = products.id"]
    assert {"table": "thelook_ecommerce.users", "synonyms": ["customers", "clients", "shoppers",
            "members", "people"]} in out["entities"]
    status = next(d for d in out["dimensions"]
                  if d["table"] == "thelook_ecommerce.order_items" and d["column"] == "status")
    assert status["values"]["refunded"] == "Returned"
    assert "order_items.order_id = orders.order_id" in out["joins"]
    tables = {t["table_id"] for t in out["tables"]}
    for m in out["metrics"]:  # every metric points at tables the model can see
        assert ({m["table"]} if "table" in m else set(m["tables"])) <= tables




def test_get_table_carries_its_metrics_and_the_catalog_names_them(settings: Settings) -> None:
    """The first request's catalog names each metric under its table(s); the definition
    (expression, every filter, time column; or the SQL) comes with get_table of the table
    the model is about to query."""
    from nl2sql.catalog import build

    wh = DuckDBWarehouse(settings.warehouse.removeprefix("duckdb:///"), settings)
    try:
        box = Toolbox(wh, settings.with_(allowed_datasets=("thelook_ecommerce",)))
        items = box.call("get_table", {"table_id": "thelook_ecommerce.order_items"}).payload
        products = box.call("get_table", {"table_id": "thelook_ecommerce.products"}).payload
        users = box.call("get_table", {"table_id": "thelook_ecommerce.users"}).payload
        catalog = build(box)
    finally:
        wh.close()
    assert ("revenue: SUM(sale_price) WHERE status NOT IN ('Cancelled', 'Returned'); "
            "time created_at") in items["metrics"]
    gross = next(m for m in items["metrics"] if m.startswith("gross_profit: "))
    assert gross.endswith("; join order_items.product_id = products.id")
    assert gross in products["metrics"]  # a multi-table metric comes with each of its tables
    assert "metrics" not in users  # no metric reads users
    line = next(x for x in catalog.splitlines() if x.startswith("  - order_items:"))
    assert "Metrics: revenue (sales, turnover)" in line and "gross_profit" in line
    assert "SUM(sale_price)" not in catalog  # definitions are not repeated on every request


def test_a_metric_with_several_filters_keeps_each_one_whole() -> None:
    layer = parse({"dataset": "shop", "metrics": [{
        "name": "m", "description": "d", "table": "t", "expression": "COUNT(*)",
        "filters": ["a = 1 OR b = 2", "c = 3"]}]})
    assert layer.table_payload("t") == {
        "metrics": ["m: COUNT(*) WHERE (a = 1 OR b = 2) AND (c = 3)"]}
    assert layer.table_payload("other") == {}

def _value(wh: DuckDBWarehouse, sql: str) -> float:
    checked = check_sql(sql, Policy(frozenset({"thelook_ecommerce"})))
    rows = wh.query(checked.sql, max_rows=10, timeout_s=30).rows
    return float(rows[0][0])


def test_every_demo_metric_runs_and_gives_sensible_numbers(settings: Settings) -> None:
    layer = semantic_layer("thelook_ecommerce")
    assert layer is not None
    wh = DuckDBWarehouse(settings.warehouse.removeprefix("duckdb:///"), settings)
    try:
        got = {m.name: _value(wh, m.query(layer.dataset)) for m in layer.metrics}
        all_sales = _value(wh, "SELECT SUM(sale_price) FROM thelook_ecommerce.order_items")
        all_items = _value(wh, "SELECT COUNT(*) FROM thelook_ecommerce.order_items")
        all_orders = _value(wh, "SELECT COUNT(*) FROM thelook_ecommerce.orders")
        users = _value(wh, "SELECT COUNT(*) FROM thelook_ecommerce.users")
        min_price = _value(wh, "SELECT MIN(sale_price) FROM thelook_ecommerce.order_items")
    finally:
        wh.close()
    assert 0.5 * all_sales < got["revenue"] < all_sales  # cancelled and returned left out
    assert got["order_count"] == all_orders
    assert 0.4 * all_items < got["items_sold"] < all_items
    assert min_price < got["average_order_value"] < got["revenue"]
    assert 0.01 < got["return_rate"] < 0.5
    assert 0.01 < got["conversion_rate"] < 1
    assert 0 < got["paying_customers"] <= users
    assert 0 < got["gross_profit"] < got["revenue"]
    assert 0.01 < got["cancellation_rate"] < 0.5
    assert got["stock_on_hand"] > 0


def test_a_measure_reference_resolves_to_its_aggregate() -> None:
    data = {"dataset": "shop",
            "semantic_models": [{"name": "items", "table": "order_items", "time_column": "ts",
                                 "measures": [{"name": "qty", "agg": "count_distinct",
                                               "expr": "order_id"}]}],
            "metrics": [{"name": "orders", "description": "d", "measure": "qty"}]}
    m = parse(data).metrics[0]
    assert (m.table, m.expression, m.time_column) == ("order_items", "COUNT(DISTINCT order_id)",
                                                     "ts")


@pytest.mark.parametrize("metric, message", [
    ({"table": "t", "expression": "(SELECT MAX(x) FROM secret.t)"}, "safety gate"),
    ({"table": "t", "expression": "SUM(x)", "filters": ["1=1; DROP TABLE shop.t"]},
     "safety gate"),
    ({"sql": "DELETE FROM shop.t WHERE TRUE", "tables": ["t"]}, "safety gate"),
    ({"table": "t"}, "metrics/0"),  # neither an expression nor a measure
    ({"measure": "nope"}, "no semantic model declares"),
])
def test_a_bad_definition_is_refused_with_a_sentence(metric: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse(_minimal(**metric), source="shop.yaml")


def test_a_file_for_another_dataset_or_broken_yaml_is_named(tmp_path: Path) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text(yaml.safe_dump(_minimal(table="t", expression="SUM(x)")))
    with pytest.raises(ConfigError, match="shop.yaml: says dataset 'shop' but is the file of"):
        load_file(path, expect_dataset="sales")
    path.write_text("dataset: [unclosed")
    with pytest.raises(ConfigError, match="shop.yaml: not valid YAML"):
        load_file(path)


@pytest.mark.parametrize("part", [
    {"expression": "SUM(x) AS total, MAX(y)"},
    {"expression": "SUM(x)", "filters": ["x = 1) OR (1 = 1"]},
    {"expression": "SELECT 1"},
])
def test_an_expression_or_filter_must_be_one_expression(part: dict) -> None:
    with pytest.raises(ConfigError, match="is not one GoogleSQL expression"):
        parse(_minimal(table="t", **part))


def test_a_metric_naming_another_tables_column_joins_it_by_the_shared_entity() -> None:
    models = [{"name": "lines", "table": "lines",
               "entities": [{"name": "item", "type": "foreign", "expr": "item_id"}]},
              {"name": "items", "table": "items",
               "entities": [{"name": "item", "type": "primary", "expr": "id"}]}]
    layer = parse({"dataset": "shop", "semantic_models": models, "metrics": [{
        "name": "margin", "description": "d", "table": "lines",
        "expression": "SUM(net - items.cost)", "filters": ["state = 'kept'"]}]})
    m = layer.metrics[0]
    assert m.joins == ("lines.item_id = items.id",) and m.reads == ("lines", "items")
    assert m.query("shop") == (
        "SELECT SUM(lines.net - items.cost) AS margin FROM shop.lines AS lines "
        "JOIN shop.items AS items ON lines.item_id = items.id WHERE (lines.state = 'kept')")
    assert layer.table_payload("items")["metrics"] == [
        "margin: SUM(net - items.cost) WHERE state = 'kept'; join lines.item_id = items.id"]
    with pytest.raises(ConfigError, match="no foreign key"):
        parse({"dataset": "shop", "semantic_models": models, "metrics": [{
            "name": "m", "description": "d", "table": "lines",
            "expression": "SUM(net - stock.cost)"}]})
