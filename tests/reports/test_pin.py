"""Pinning edits only the report's sql field: comments and layout survive."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nl2sql.errors import ConfigError
from nl2sql.reports.pin import pin_sql, with_pinned_sql

SQL = "SELECT status, COUNT(*) AS n\nFROM shop.purchases\nGROUP BY status"

FILE = """\
# Morning numbers -- reviewed by the data team.
reports:
  - name: first
    question: How many? # asked daily
    schedule: "0 8 * * *"   # 08:00
    deliver:
      - file: {dir: out}
  - name: second
    question: >-
      A long question
      folded over lines
    sql: SELECT 1
    schedule: "0 9 * * *"
    deliver: [{file: {dir: out}}]
"""


def _sql(text: str, index: int) -> str:
    return str(yaml.safe_load(text)["reports"][index]["sql"])


def test_adds_sql_after_the_question_keeping_comments() -> None:
    out = with_pinned_sql(FILE, "first", SQL)
    assert _sql(out, 0) == SQL
    assert "# Morning numbers -- reviewed by the data team." in out
    assert "question: How many? # asked daily\n    sql: |-\n      SELECT status" in out
    assert "GROUP BY status\n    schedule:" in out
    assert 'schedule: "0 8 * * *"   # 08:00' in out
    assert _sql(out, 1) == "SELECT 1"


def test_replaces_existing_sql() -> None:
    out = with_pinned_sql(FILE, "second", SQL)
    assert _sql(out, 1) == SQL
    # and again, now that it is a block scalar
    again = with_pinned_sql(out, "second", "SELECT 2")
    assert _sql(again, 1) == "SELECT 2"
    assert again.count("sql:") == 1
    assert yaml.safe_load(again)["reports"][1]["schedule"] == "0 9 * * *"


def test_a_comment_on_the_sql_line_stays_out_of_the_sql() -> None:
    out = with_pinned_sql(FILE.replace("sql: SELECT 1", "sql: SELECT 1  # old"), "second", SQL)
    assert _sql(out, 1) == SQL
    assert "sql: |-  # old\n" in out


def test_after_a_block_question() -> None:
    text = FILE.replace("    sql: SELECT 1\n", "")
    out = with_pinned_sql(text, "second", SQL)
    assert _sql(out, 1) == SQL
    assert yaml.safe_load(out)["reports"][1]["question"] == "A long question folded over lines"


def test_unknown_report_and_unsafe_layouts_are_refused() -> None:
    with pytest.raises(ConfigError, match="no report named 'third'"):
        with_pinned_sql(FILE, "third", SQL)
    flow = 'reports: [{name: x, question: q, schedule: "@daily", deliver: [{file: {dir: o}}]}]\n'
    with pytest.raises(ConfigError, match="add the sql field by hand"):
        with_pinned_sql(flow, "x", SQL)


def test_a_crlf_file_keeps_its_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "reports.yaml"
    path.write_bytes(FILE.replace("\n", "\r\n").encode())
    pin_sql(path, "first", SQL)
    data = path.read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")  # no bare LF anywhere
    lines = data.decode().split("\r\n")
    assert lines[:4] == FILE.splitlines()[:4] and lines[4] == "    sql: |-"
    assert _sql(data.decode(), 0) == SQL
