"""Text tables for Slack code blocks and plain-text email."""

from __future__ import annotations

from nl2sql.presentation.mrkdwn import code_block, escape
from nl2sql.presentation.tables import text_table


def test_table_aligns_numbers_right_and_formats_them() -> None:
    table = text_table(["country", "users", "share"],
                       [["United States", 12345, 0.4567], ["Brasil", 987, None]])
    assert table.splitlines() == [
        "country         users   share",
        "-------------  ------  ------",
        "United States  12,345  0.4567",
        "Brasil            987       ∅",
    ]


def test_a_column_of_amounts_lines_up_on_two_decimals() -> None:
    table = text_table(["category", "revenue"], [["Jeans", 53.6], ["Swim", 1200]])
    assert [line.split()[-1] for line in table.splitlines()[2:]] == ["53.60", "1,200.00"]


def test_only_the_first_rows_and_short_cells() -> None:
    rows = [[i, "x" * 50] for i in range(25)]
    table = text_table(["a", "b"], rows, max_rows=10, cell_max=12)
    assert len(table.splitlines()) == 2 + 10
    assert table.splitlines()[2].endswith("x" * 11 + "…")
    assert text_table([], [[1]]) == ""


def test_years_and_ids_have_no_thousands_separators() -> None:
    table = text_table(["year", "user_id", "orders"], [[2019, 12345, 5578]])
    assert table.splitlines()[2].split() == ["2019", "12345", "5,578"]


def test_mrkdwn_is_escaped_and_long_code_is_cut_at_a_line() -> None:
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"
    block = code_block("\n".join(f"line {i} < {i + 1}" for i in range(500)), budget=200)
    assert len(block) <= 200 and block.startswith("```") and block.endswith("\n…```")
    assert "&lt;" in block and "<" not in block.strip("`")
