"""`nl2sql eval`: the real agent against gold SQL on the same warehouse, three verdicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from nl2sql.cli import main
from nl2sql.knowledge.evaluate import results_match

USERS = "SELECT COUNT(*) FROM thelook_ecommerce.users"
QUESTIONS = [
    {"id": "ok", "question": "How many users are there?", "gold": USERS},
    # the offline planner counts users; this gold counts something else: answered but wrong
    {"id": "wrong", "question": "How many users are there?", "gold": USERS + " WHERE age < 30"},
    {"id": "declined", "question": "What colour is the moon on Tuesdays?",
     "gold": "SELECT 1 FROM thelook_ecommerce.users LIMIT 1"},
    {"id": "decline-ok", "question": "Frobnicate the quux", "expect": "decline"},
    {"id": "ordered", "question": "What are the 2 most common product categories?",
     "gold": "SELECT category, COUNT(*) AS n FROM thelook_ecommerce.products "
             "GROUP BY category ORDER BY n DESC, category LIMIT 2", "order": True},
]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_eval_prints_a_verdict_per_question_and_the_accuracy_line(
        runner: CliRunner, demo_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "set.yaml"
    path.write_text(yaml.safe_dump(QUESTIONS))
    result = runner.invoke(main, ["eval", str(path), "--db", str(demo_db), "--model", "offline"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    verdicts = dict(line.split(": ", 1)[0:2] for line in lines[:5])
    assert {k: v.split()[0] for k, v in verdicts.items()} == {
        "ok": "OK", "wrong": "WRONG", "declined": "DECLINED", "decline-ok": "OK",
        "ordered": "OK"}
    assert "gold=" in verdicts["wrong"] and "sql=" in verdicts["wrong"]
    assert lines[-2].startswith("model calls: ") and "seconds: " in lines[-2]
    assert lines[-1] == "accuracy: 3/5 (60%); declined 1; wrong 1 (20%)"


def test_eval_json_carries_every_result(runner: CliRunner, demo_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "set.json"
    path.write_text(json.dumps(QUESTIONS[:2]))
    result = runner.invoke(main, ["eval", str(path), "--db", str(demo_db), "--model", "offline",
                                  "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert [r["verdict"] for r in out["results"]] == ["OK", "WRONG"]
    assert out["correct"] == 1 and out["wrong"] == 1 and out["total"] == 2
    assert out["usage"]["model_calls"] > 0
    assert out["results"][1]["gold_rows"][0][0] < out["results"][1]["rows"][0][0]


@pytest.mark.parametrize("content, message", [
    ("[]", "non-empty list"),
    ('[{"id": "a"}]', "needs a 'question'"),
    ('[{"id": "a", "question": "q"}]', "needs 'gold' SQL"),
    ('{"not": "json', "not valid JSON"),
])
def test_a_bad_question_file_is_one_line(runner: CliRunner, demo_db: Path, tmp_path: Path,
                                         content: str, message: str) -> None:
    path = tmp_path / "set.json"
    path.write_text(content)
    result = runner.invoke(main, ["eval", str(path), "--db", str(demo_db)])
    assert result.exit_code != 0 and message in result.output
    assert "Traceback" not in result.output


def test_gold_sql_the_gate_refuses_is_a_clear_error(runner: CliRunner, demo_db: Path,
                                                    tmp_path: Path) -> None:
    path = tmp_path / "set.json"
    path.write_text(json.dumps([{"id": "x", "question": "q?", "gold": "DROP TABLE t"}]))
    result = runner.invoke(main, ["eval", str(path), "--db", str(demo_db), "--model", "offline"])
    assert result.exit_code != 0 and "question x: the gold SQL does not run" in result.output


def test_scoring_rules() -> None:
    gold = [["a", 1.0], ["b", 2.0]]
    assert results_match(gold, [[2.004, "b", 9], [1, "a", 9]])  # columns found, any order
    assert not results_match(gold, [[2.004, "b"], [1, "a"]], ordered=True)
    assert results_match([[0.25]], [[25.0]], pct=True) and not results_match([[0.25]], [[25.0]])
    assert results_match([["2024-01-01T00:00:00"]], [["2024-01-01 00:00:00"]])
    assert not results_match(gold, [["a", 1.0]])
    assert results_match([], []) and not results_match([], [[1]])
