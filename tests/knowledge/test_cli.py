"""`nl2sql verified ...`, `nl2sql feedback list` and `nl2sql semantic check` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from nl2sql.cli import main
from nl2sql.knowledge.evaluate import load_questions
from nl2sql.knowledge.feedback import FeedbackStore
from nl2sql.state import StateDB

SQL = "SELECT COUNT(*) FROM thelook_ecommerce.orders WHERE status = 'Complete'"


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "state.sqlite3"
    monkeypatch.setenv("NL2SQL_STATE_DB", str(path))
    monkeypatch.setenv("NL2SQL_REPORTS", str(tmp_path / "no-reports.yaml"))
    return path


def test_add_list_export_remove(state: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    sql_file = tmp_path / "q.sql"
    sql_file.write_text(SQL + ";\n")
    added = runner.invoke(main, ["verified", "add", "How many orders are complete?",
                                 f"@{sql_file}"])
    assert added.exit_code == 0, added.output
    qid = added.output.split()[1]
    listed = json.loads(runner.invoke(main, ["verified", "list", "--json"]).output)
    pairs = {q["id"]: q for q in listed["verified_queries"]}
    assert pairs[qid]["sql"] == SQL and pairs[qid]["source"] == "cli"
    assert any(q["source"] == "file" for q in pairs.values())  # the definitions file's pairs

    out = tmp_path / "set.yaml"
    exported = runner.invoke(main, ["verified", "export", "--dataset", "thelook_ecommerce",
                                    "--output", str(out)])
    assert exported.exit_code == 0, exported.output
    questions = load_questions(out)  # an eval set `nl2sql eval` reads
    assert any(q.question == "How many orders are complete?" and q.gold == SQL
               for q in questions)
    assert len(questions) == len(yaml.safe_load(out.read_text()))

    assert runner.invoke(main, ["verified", "remove", qid]).exit_code == 0
    gone = runner.invoke(main, ["verified", "remove", qid])
    assert gone.exit_code != 0 and f"no verified query with id '{qid}'" in gone.output
    from_file = runner.invoke(main, ["verified", "remove", "file:thelook_ecommerce:1"])
    assert from_file.exit_code != 0 and "edit that file" in from_file.output


def test_add_refuses_what_the_gate_refuses(state: Path) -> None:
    result = CliRunner().invoke(main, ["verified", "add", "Drop the orders",
                                       "DROP TABLE thelook_ecommerce.orders"])
    assert result.exit_code != 0 and "only read-only queries" in result.output
    assert "Traceback" not in result.output


def test_feedback_list(state: Path) -> None:
    store = FeedbackStore(StateDB(state))
    store.record("a1", "ann", "up", interface="web", question="How many orders?")
    store.record("a2", "bob", "down", "wrong year", interface="slack", question="Revenue?")
    result = CliRunner().invoke(main, ["feedback", "list", "--vote", "down"])
    assert result.exit_code == 0
    assert result.stdout.strip() == "down\ta2\tbob\tslack\tRevenue?\twrong year"
    data = json.loads(CliRunner().invoke(main, ["feedback", "list", "--json"]).output)
    assert data["counts"] == {"up": 1, "down": 1} and len(data["feedback"]) == 2


def test_semantic_check(tmp_path: Path) -> None:
    ok = CliRunner().invoke(main, ["semantic", "check"])
    assert ok.exit_code == 0 and "thelook_ecommerce.yaml: ok (" in ok.output
    bad = tmp_path / "shop.yaml"
    bad.write_text("dataset: shop\nmetrics: [{name: m, description: d, table: t, "
                   "expression: 'EXTERNAL_QUERY(\"x\", \"y\")'}]\n")
    result = CliRunner().invoke(main, ["semantic", "check", str(bad)])
    assert result.exit_code == 1 and "shop.yaml: invalid: " in result.output
