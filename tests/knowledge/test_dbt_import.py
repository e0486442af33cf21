"""`nl2sql semantic import-dbt` on a manifest written by the real dbt tooling.

tests/knowledge/semantic_manifest.json was produced by dbt-core 1.10 (with
dbt-duckdb) from tests/knowledge/dbt_project by `dbt parse`; see docs/knowledge.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from nl2sql.cli import main
from nl2sql.config import Settings
from nl2sql.errors import ConfigError
from nl2sql.knowledge import load_file, semantic_layer
from nl2sql.knowledge.dbt import convert, import_manifest
from nl2sql.safety import Policy, check_sql
from nl2sql.warehouse.duckdb import DuckDBWarehouse

MANIFEST = Path(__file__).parent / "semantic_manifest.json"


def test_the_fixture_is_dbts_own_output() -> None:
    data = json.loads(MANIFEST.read_text())
    assert set(data) >= {"semantic_models", "metrics", "project_configuration"}
    assert data["semantic_models"][0]["node_relation"]["relation_name"]


def test_imported_metrics_give_the_same_numbers_as_the_shipped_definitions(
        runner_output: Path, settings: Settings) -> None:
    imported = load_file(runner_output, expect_dataset="thelook_ecommerce")
    shipped = semantic_layer("thelook_ecommerce")
    assert shipped is not None
    mine = {m.name: m for m in imported.metrics}
    theirs = {m.name: m for m in shipped.metrics}
    assert mine["revenue"].filters == ("status not in ('Cancelled', 'Returned')",)
    assert mine["average_order_value"].sql and mine["average_order_value"].tables == (
        "order_items", "orders")
    assert "order_items.order_id = orders.order_id" in imported.joins
    wh = DuckDBWarehouse(settings.warehouse.removeprefix("duckdb:///"), settings)
    policy = Policy(frozenset({"thelook_ecommerce"}))

    def value(sql: str) -> float:
        return float(wh.query(check_sql(sql, policy).sql, max_rows=5, timeout_s=30).rows[0][0])

    try:
        for dbt_name, ours in (("revenue", "revenue"), ("return_rate", "return_rate"),
                               ("orders", "order_count")):
            assert value(mine[dbt_name].query("thelook_ecommerce")) == pytest.approx(
                value(theirs[ours].query("thelook_ecommerce"))), dbt_name
        # dbt's AOV divides revenue by all orders; ours by the orders that have revenue
        assert 0 < value(mine["average_order_value"].query("thelook_ecommerce")) < value(
            theirs["average_order_value"].query("thelook_ecommerce"))
    finally:
        wh.close()


@pytest.fixture
def runner_output(tmp_path: Path) -> Path:
    out = tmp_path / "thelook_ecommerce.yaml"
    result = CliRunner().invoke(main, ["semantic", "import-dbt", str(MANIFEST), "--dataset",
                                       "thelook_ecommerce", "--output", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_metrics_without_a_single_query_equivalent_are_listed_as_skipped() -> None:
    data = json.loads(MANIFEST.read_text())
    data["metrics"].append({"name": "running_revenue", "description": "d", "type": "cumulative",
                            "type_params": {"measure": {"name": "sale_price"}}})
    out, skipped = convert(data, "thelook_ecommerce")
    assert skipped == ["running_revenue (cumulative metrics have no single-query equivalent "
                       "here)"]
    assert "running_revenue" not in {m["name"] for m in out["metrics"]}


def test_a_file_that_is_not_a_manifest_is_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"nodes": {}}))
    with pytest.raises(ConfigError, match="not a dbt semantic manifest"):
        import_manifest(path, "thelook_ecommerce")
    path.write_text("{")
    with pytest.raises(ConfigError, match="not valid JSON"):
        import_manifest(path, "thelook_ecommerce")
