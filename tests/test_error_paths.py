"""Messages users see (web, Slack, the model) never carry server file paths."""

from __future__ import annotations

import pytest

from nl2sql.errors import WarehouseError, without_paths


@pytest.mark.parametrize(("text", "expected"), [
    ("cannot open DuckDB file '/srv/app/data/demo.duckdb': locked",
     "cannot open DuckDB file 'demo.duckdb': locked"),
    ('IO Error: Could not set lock on file "/var/lib/x/state.sqlite3"',
     'IO Error: Could not set lock on file "state.sqlite3"'),
    ("no such directory /home/ana/reports/", "no such directory (a directory)"),
    ("(/opt/nl2sql/a.duckdb)", "(a.duckdb)"),
    ("see https://example.com/a/b", "see https://example.com/a/b"),
    ("SELECT a/b/c FROM t", "SELECT a/b/c FROM t"),
    ("relative data/demo.duckdb stays", "relative data/demo.duckdb stays"),
    ("/healthz", "/healthz"),
])
def test_without_paths(text: str, expected: str) -> None:
    assert without_paths(text) == expected


def test_the_wire_envelope_has_no_path_but_the_message_keeps_it() -> None:
    e = WarehouseError("DuckDB file '/srv/data/demo.duckdb' does not exist")
    assert e.to_dict()["error"] == "DuckDB file 'demo.duckdb' does not exist"
    assert "/srv/data" in e.message  # the CLI and the log still say where
