"""The command line, per the contract in design.md."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from nl2sql.cli import main


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_ask_json_follows_the_contract(runner: CliRunner, demo_db: Path) -> None:
    result = runner.invoke(main, ["ask", "--db", str(demo_db), "--json",
                                  "How many orders are there?"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert list(out) == ["question", "answer", "answered", "interpretation", "sql", "columns",
                         "rows", "truncated", "steps", "model", "usage", "seconds"]
    assert out["model"] == "offline" and out["answered"] is True
    read = out["interpretation"]
    assert read["measure"] == "the number of orders" and read["filters"] == []
    assert read["summary"].startswith("I read this as the number of orders")
    assert isinstance(out["truncated"], bool)
    assert all(set(s) >= {"name", "args", "ok", "seconds"} for s in out["steps"])
    assert out["steps"][-1]["name"] == "sql_query"
    assert out["usage"]["model_calls"] >= 2
    truth = duckdb.connect(str(demo_db), read_only=True).execute(
        "SELECT COUNT(*) FROM thelook_ecommerce.orders").fetchone()
    assert out["rows"] == [[truth[0]]]
    assert f"{truth[0]:,}" in out["answer"] or str(truth[0]) in out["answer"]


def test_ask_shows_how_it_read_the_question(runner: CliRunner, demo_db: Path) -> None:
    result = runner.invoke(main, ["ask", "--db", str(demo_db),
                                  "How many users are there by gender?"])
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith("Read as: I read this as the number of users, by gender"), first


def test_ask_json_says_when_it_declined(runner: CliRunner, demo_db: Path) -> None:
    result = runner.invoke(main, ["ask", "--db", str(demo_db), "--json",
                                  "How many users are there zorp?"])
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert out["answered"] is False and out["rows"] == []
    assert out["interpretation"]["unused_words"] == ["zorp"]


def test_ask_missing_database_is_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["ask", "--db", str(tmp_path / "nope.duckdb"), "anything"])
    assert result.exit_code != 0
    assert result.stderr.strip().count("\n") == 0
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "nope.duckdb").exists()


def test_ask_unanswerable_exits_non_zero(runner: CliRunner, demo_db: Path) -> None:
    result = runner.invoke(main, ["ask", "--db", str(demo_db), "--json",
                                  "purple monkey dishwasher"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["answer"]


def test_ask_rejects_db_and_warehouse_together(runner: CliRunner, demo_db: Path) -> None:
    result = runner.invoke(main, ["ask", "--db", str(demo_db), "--warehouse", "duckdb:///x", "q"])
    assert result.exit_code == 2 and "not both" in result.output


def test_check_sql_reports_each_file(runner: CliRunner, tmp_path: Path) -> None:
    good = tmp_path / "good.sql"
    good.write_text("SELECT status, COUNT(*) FROM thelook_ecommerce.orders GROUP BY status;\n")
    bad = tmp_path / "bad.sql"
    bad.write_text("DELETE FROM thelook_ecommerce.orders WHERE TRUE")
    other = tmp_path / "other.sql"
    other.write_text("SELECT * FROM secret.salaries")

    result = runner.invoke(main, ["check-sql", str(good)])
    assert result.exit_code == 0 and result.output == f"{good}: ok\n"

    result = runner.invoke(main, ["check-sql", str(good), str(bad), str(other),
                                  "--allowed-datasets", "thelook_ecommerce"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"{good}: ok"
    assert lines[1].startswith(f"{bad}: rejected: ")
    assert lines[2].startswith(f"{other}: rejected: ") and "secret" in lines[2]


def test_check_sql_missing_file_is_rejected_not_a_crash(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["check-sql", str(tmp_path / "missing.sql")])
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_check_sql_max_rows_must_be_positive(runner: CliRunner, tmp_path: Path) -> None:
    good = tmp_path / "good.sql"
    good.write_text("SELECT 1")
    for bad in ("0", "-3"):
        result = runner.invoke(main, ["check-sql", str(good), "--max-rows", bad])
        assert result.exit_code == 2, result.output
        assert result.output.count("\n") == 1 and "--max-rows" in result.output
    result = runner.invoke(main, ["check-sql", str(good), "--max-rows", "5"])
    assert result.exit_code == 0 and result.output == f"{good}: ok\n"


def test_check_sql_unreadable_files_get_their_own_line(runner: CliRunner, tmp_path: Path) -> None:
    good = tmp_path / "good.sql"
    good.write_text("SELECT 1")
    binary = tmp_path / "binary.sql"
    binary.write_bytes(b"\xff\xfeSELECT 1")
    folder = tmp_path / "folder.sql"
    folder.mkdir()
    result = runner.invoke(main, ["check-sql", str(good), str(binary), str(folder)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{good}: ok",
        f"{binary}: rejected: cannot read file: not UTF-8 text (byte 0)",
        f"{folder}: rejected: cannot read file: Is a directory",
    ]


def test_check_sql_prints_nothing_but_its_lines(tmp_path: Path) -> None:
    # sqlglot warns on stderr when it falls back to an opaque command; the
    # installed command keeps to its contract of one line per file.
    script = tmp_path / "script.sql"
    script.write_text("EXECUTE IMMEDIATE 'DROP TABLE thelook_ecommerce.orders'")
    proc = subprocess.run([sys.executable, "-m", "nl2sql.cli", "check-sql", str(script)],
                          capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parent.parent)
    assert proc.returncode == 1
    assert proc.stdout.startswith(f"{script}: rejected: ") and proc.stdout.count("\n") == 1
    assert proc.stderr == ""


@pytest.mark.parametrize("args", [
    ["bogus"], ["--bogus"], ["ask"], ["ask", "--json"], ["check-sql", "--max-rows", "x", "f"],
    ["demo-data", "--scale", "many"], ["serve", "--port", "http"], ["serve", "--port", "99999"],
    ["serve", "--workers", "0"], ["serve", "--threads", "0"],
])
def test_usage_errors_are_one_line(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and result.output.count("\n") == 1, result.output
    assert "--help" in result.output


def test_demo_data_into_a_directory_is_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["demo-data", "--path", str(tmp_path), "--scale", "0.01"])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.splitlines()[-1] == (
        f"error: cannot write {str(tmp_path)!r}: it is a directory; "
        "give a file path such as data/demo.duckdb")
    result = runner.invoke(main, ["demo-data", "--path", "/proc/no/such/demo.duckdb",
                                  "--scale", "0.01"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith("error: cannot write '/proc/no/such/")


def test_demo_data_refuses_bad_options_before_building(runner: CliRunner,
                                                       tmp_path: Path) -> None:
    for option in (["--scale", "0"], ["--seed", "-1"], ["--as-of", "2018-06-01"],
                   ["--as-of", "yesterday"]):
        result = runner.invoke(main, ["demo-data", "--path", str(tmp_path / "x.duckdb"), *option])
        assert result.exit_code == 2
        assert "Building" not in result.output
        assert result.output.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_demo_data_shows_progress_and_validates_scale(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "d.duckdb"
    result = runner.invoke(main, ["demo-data", "--path", str(path), "--scale", "0.01"])
    assert result.exit_code == 0, result.output
    assert path.exists() and "wrote" in result.stdout
    assert "Building" in result.stderr
    result = runner.invoke(main, ["demo-data", "--path", str(tmp_path / "x.duckdb"),
                                  "--scale", "500"])
    assert result.exit_code == 2 and "scale" in result.output.lower()
    assert not (tmp_path / "x.duckdb").exists()


def test_demo_data_as_of_sets_the_last_day_of_the_data(runner: CliRunner, tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "d.duckdb"
    result = runner.invoke(main, ["demo-data", "--path", str(path), "--scale", "0.01",
                                  "--as-of", "2024-06-30"])
    assert result.exit_code == 0, result.output
    assert "data through 2024-06-30" in result.stdout
    con = duckdb.connect(str(path), read_only=True)
    try:
        last = con.execute("SELECT max(created_at) FROM thelook_ecommerce.orders").fetchone()[0]
    finally:
        con.close()
    assert str(last.date()) == "2024-06-30"


def test_serve_refuses_a_taken_port_in_one_line(runner: CliRunner) -> None:
    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = runner.invoke(main, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert result.output == f"error: cannot serve on 127.0.0.1:{port}: Address already in use\n"


def test_installed_entry_point_runs(demo_db: Path) -> None:
    exe = Path(sys.executable).parent / "nl2sql"
    proc = subprocess.run([str(exe), "ask", "--db", str(demo_db), "--json",
                           "How many users are there?"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["rows"]
