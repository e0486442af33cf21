"""``/ask`` with the offline planner on the demo warehouse: real questions, real numbers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from tests.slack.conftest import Served
from tests.slack.peers import Peer, SlackApi, running


def table_rows(payload: dict) -> list[list[str]]:
    """The key-numbers table of a posted answer, split into cells."""
    table = next(b["text"]["text"] for b in payload["blocks"]
                 if b["type"] == "section" and b["text"]["text"].startswith("```"))
    return [line.split() for line in table.split("```")[1].splitlines()]


def count(db: Path, sql: str) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(sql).fetchone()
    assert row is not None
    return int(row[0])


def test_how_many_users(serve_app: Callable[..., Served], receiver: Peer,
                        demo_db: Path) -> None:
    served = serve_app(warehouse=f"duckdb:///{demo_db}")  # model: offline
    ack = served.command("How many users are there?", receiver.base)
    assert ack.json()["text"] == "Working on: How many users are there?"

    payload = receiver.wait_for(1)[0].json()

    users = count(demo_db, "SELECT COUNT(*) FROM thelook_ecommerce.users")
    assert payload["response_type"] == "in_channel"
    assert f"{users:,}" in payload["text"]
    header, _rule, *rows = table_rows(payload)
    assert rows == [[f"{users:,}"]]
    assert "FROM thelook_ecommerce.users" in str(payload["blocks"])


def test_orders_by_status_with_a_chart(serve_app: Callable[..., Served], receiver: Peer,
                                       demo_db: Path) -> None:
    with running(SlackApi()) as api:
        served = serve_app(warehouse=f"duckdb:///{demo_db}", slack_bot_token="xoxb-test",
                           slack_api_url=api.base + "/api/")
        served.command("How many orders by status?", receiver.base)
        payload = receiver.wait_for(1)[0].json()
        uploads = api.wait_for(3)

    with duckdb.connect(str(demo_db), read_only=True) as con:
        expected = dict(con.execute(
            "SELECT status, COUNT(*) FROM thelook_ecommerce.orders GROUP BY status").fetchall())
    _header, _rule, *rows = table_rows(payload)
    assert {status: int(n.replace(",", "")) for status, n in rows} == expected
    assert b"\x89PNG" in uploads[1].body


def test_question_the_planner_cannot_answer(serve_app: Callable[..., Served],
                                             receiver: Peer, demo_db: Path) -> None:
    served = serve_app(warehouse=f"duckdb:///{demo_db}")
    served.command("Will it rain tomorrow?", receiver.base)
    declined = receiver.wait_for(1)[0].json()
    assert declined["response_type"] == "ephemeral"
    assert declined["text"].startswith("I cannot answer that")
    assert "`/ask help`" in declined["text"]
