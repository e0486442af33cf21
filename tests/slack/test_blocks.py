"""Block Kit from an Answer: escaping, the small table, Slack's size limits."""

from __future__ import annotations

from nl2sql.answer import Answer, Step
from nl2sql.presentation.mrkdwn import SECTION_MAX
from nl2sql.slack.blocks import answer_message, help_message, working_message


def test_mrkdwn_control_characters_are_escaped() -> None:
    answer = Answer(question="<!channel> ?", answer="Use <b>", model="m",
                    sql="SELECT 1 WHERE 2 < 3", columns=["x"], rows=[["<x>"]])
    text = str(answer_message(answer, user_id="U1")["blocks"])
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    assert "2 &lt; 3" in text and "&lt;x&gt;" in text


def test_blocks_stay_within_slack_limits() -> None:
    answer = Answer(question="q" * 5000, answer="a" * 5000, model="m", sql="SELECT 1 " * 2000,
                    columns=[f"c{i}" for i in range(30)],
                    rows=[["x" * 40] * 30 for _ in range(50)], truncated=True)
    message = answer_message(answer, user_id="U1", link="https://example.com/?q=q")
    assert len(message["blocks"]) <= 50
    assert len(message["text"]) <= SECTION_MAX
    for block in message["blocks"]:
        texts = [block["text"]["text"]] if "text" in block else []
        texts += [e["text"] for e in block.get("elements", [])]
        assert all(len(t) <= SECTION_MAX for t in texts)
        assert all(t.count("```") % 2 == 0 for t in texts)  # no half-open code block


def test_answer_without_rows_has_no_table_and_says_bytes() -> None:
    answer = Answer(question="q", answer="Nothing matched.", model="m", sql="SELECT 1",
                    columns=["n"], rows=[], bytes_processed=3 * 1024 * 1024)
    message = answer_message(answer)
    kinds = [b["type"] for b in message["blocks"]]
    assert kinds == ["section", "context", "divider", "context"]
    assert "Bytes processed: 3.0 MB" in message["blocks"][1]["elements"][0]["text"]


def test_working_and_help_messages_are_ephemeral() -> None:
    assert working_message("How many?") == {"response_type": "ephemeral",
                                            "text": "Working on: How many?"}
    assert help_message("/data")["response_type"] == "ephemeral"
    assert "`/data QUESTION`" in help_message("/data")["blocks"][0]["text"]["text"]


def test_help_lists_the_examples_it_is_given_escaped() -> None:
    text = help_message("/data", ["How many orders are there?", "a < b?"] + ["x"] * 5
                        )["blocks"][0]["text"]["text"]
    assert "• `/data How many orders are there?`" in text and "a &lt; b?" in text
    assert text.count("• ") == 4
    assert "Examples" not in help_message("/data")["blocks"][0]["text"]["text"]


def test_a_link_too_long_for_a_section_is_left_out() -> None:
    answer = Answer(question="q", answer="42.", model="m", sql="SELECT 42", columns=["n"],
                    rows=[[42]])
    short = answer_message(answer, link="https://x.example/?q=q")
    assert "<https://x.example/?q=q|Open the full result" in str(short["blocks"])
    long = answer_message(answer, link="https://x.example/?q=" + "%C3%A9" * 600)
    assert "Open the full result" not in str(long["blocks"])
    assert long["text"] == "42."


def test_facts_read_naturally() -> None:
    answer = Answer(question="q", answer="a", model="m", sql="SELECT 1", columns=["n"],
                    rows=[[1]], steps=[Step(name="sql_query", args={}, ok=True, seconds=0.01)],
                    seconds=0.042)
    facts = answer_message(answer)["blocks"][2]["elements"][0]["text"]
    assert "· 1 step ·" in facts and "· 42 ms ·" in facts


def test_the_reading_comes_right_after_the_answer_escaped() -> None:
    from nl2sql.interpretation import Interpretation

    reading = Interpretation(measure="revenue", definition="SUM(sale_price)",
                             filters=("status <> 'Cancelled'",), grouping=("category",),
                             rules=("leaves out <Returned> items",))
    answer = Answer(question="revenue by category", answer="Jeans lead.", model="m",
                    sql="SELECT 1", columns=["category", "revenue"], rows=[["Jeans", 3.5]],
                    interpretation=reading)
    blocks = answer_message(answer)["blocks"]
    assert blocks[0]["type"] == "section" and blocks[1]["type"] == "context"
    text = blocks[1]["elements"][0]["text"]
    assert text.startswith("*Read as:* I read this as")
    assert "Measure: revenue = SUM(sale_price)" in text and "Grouped by: category" in text
    assert "&lt;Returned&gt;" in text and "<Returned>" not in text
    assert blocks[2]["type"] == "section" and "Jeans" in blocks[2]["text"]["text"]  # the table
