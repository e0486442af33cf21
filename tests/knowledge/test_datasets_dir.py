"""NL2SQL_DATASETS_DIR: a team's own dataset files take precedence over the packaged ones.

Real DuckDB and the offline planner: a definition that exists only in the team's
directory changes what the planner answers, and a dataset the directory has no
file for keeps the packaged one.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml

from nl2sql.config import Settings
from nl2sql.errors import ConfigError
from nl2sql.runtime import Runtime
from nl2sql.schemas import SCHEMAS_DIR
from tests.shop import build_shop

TAKINGS = {"dataset": "shop", "metrics": [{
    "name": "net_takings", "synonyms": ["takings"],
    "description": "Sum of purchase amounts, leaving out refunded purchases.",
    "table": "purchases", "expression": "SUM(amount)", "filters": ["status = 'Paid'"]}]}


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return build_shop(tmp_path)


def _runtime(warehouse: Path, tmp_path: Path, datasets_dir: Path | None) -> Runtime:
    env = {"NL2SQL_WAREHOUSE": f"duckdb:///{warehouse}", "NL2SQL_MODEL": "offline",
           "NL2SQL_STATE_DB": str(tmp_path / "state.sqlite3")}
    if datasets_dir is not None:
        env["NL2SQL_DATASETS_DIR"] = str(datasets_dir)
    return Runtime(Settings.from_env(env))


def test_a_metric_defined_only_in_the_directory_is_applied(shop: Path, tmp_path: Path) -> None:
    own = tmp_path / "team-datasets"
    own.mkdir()
    (own / "shop.yaml").write_text(yaml.safe_dump(TAKINGS))
    (own / "shop.md").write_text("Our shop: customers and their purchases.\n\n"
                                 "A refunded purchase never counts as takings.\n")
    question = "What are the total takings?"

    plain = _runtime(shop, tmp_path, None)
    try:
        answer, _ = plain.agent().ask(question)
        assert not answer.answered  # nothing says what "takings" means
    finally:
        plain.close()

    rt = _runtime(shop, tmp_path, own)
    try:
        listing = rt.agent().tools.call("list_tables", {"dataset_id": "shop"}).payload
        assert [m["name"] for m in listing["metrics"]] == ["net_takings"]
        assert listing["notes"] == "A refunded purchase never counts as takings."
        datasets = rt.agent().tools.call("list_datasets", {}).payload["datasets"]
        assert {"dataset_id": "shop", "description": "Our shop: customers and their purchases."
                }.items() <= next(d for d in datasets if d["dataset_id"] == "shop").items()

        answer, _ = rt.agent().ask(question)
    finally:
        rt.close()
    assert answer.answered, answer.answer
    con = duckdb.connect(str(shop), read_only=True)
    try:
        (expected,) = con.execute("SELECT SUM(amount) FROM shop.shop.purchases "
                                  "WHERE status = 'Paid'").fetchone() or ()
    finally:
        con.close()
    assert answer.rows == [[expected]]
    assert answer.interpretation is not None
    assert any("status = 'Paid'" in r for r in answer.interpretation.rules)


def test_the_directory_overrides_a_packaged_definition_and_falls_back_per_file(
        demo_db: Path, tmp_path: Path) -> None:
    packaged = yaml.safe_load((SCHEMAS_DIR / "datasets" / "thelook_ecommerce.yaml").read_text())
    revenue = next(m for m in packaged["metrics"] if m["name"] == "revenue")
    revenue["filters"] = ["status = 'Complete'"]  # the team counts completed items only
    own = tmp_path / "team-datasets"
    own.mkdir()
    (own / "thelook_ecommerce.yaml").write_text(yaml.safe_dump(packaged))

    rt = _runtime(demo_db, tmp_path, own)
    try:
        listing = rt.agent().tools.call(
            "list_tables", {"dataset_id": "thelook_ecommerce"}).payload
        answer, _ = rt.agent().ask("What is the total revenue?")
    finally:
        rt.close()
    metrics = {m["name"]: m for m in listing["metrics"]}
    assert metrics["revenue"]["filters"] == ["status = 'Complete'"]
    # No thelook_ecommerce.md in the directory: the packaged context still applies.
    assert "notes" in listing and listing["notes"]
    assert answer.answered and answer.sql is not None
    assert "'Complete'" in answer.sql and "Cancelled" not in answer.sql


def test_a_directory_without_the_dataset_keeps_the_packaged_files(
        demo_db: Path, tmp_path: Path) -> None:
    own = tmp_path / "team-datasets"
    own.mkdir()
    (own / "shop.yaml").write_text(yaml.safe_dump(TAKINGS))  # another dataset only
    rt = _runtime(demo_db, tmp_path, own)
    try:
        listing = rt.agent().tools.call(
            "list_tables", {"dataset_id": "thelook_ecommerce"}).payload
    finally:
        rt.close()
    metrics = {m["name"]: m for m in listing["metrics"]}
    assert metrics["revenue"]["filters"] == ["status NOT IN ('Cancelled', 'Returned')"]


def test_a_missing_directory_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="NL2SQL_DATASETS_DIR"):
        Settings.from_env({"NL2SQL_DATASETS_DIR": str(tmp_path / "no-such-dir")})
