"""Test doubles used through the public API: a small warehouse file and a
rule-following model (a real ``Model`` subclass, like ``ScriptedModel``, whose
turns depend on the question and on what the tools returned)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb

from nl2sql.agent import UNANSWERED
from nl2sql.answer import Usage
from nl2sql.errors import ModelError
from nl2sql.models.base import FunctionCall, Message, Model, ModelTurn, Request

STATUSES = ["Complete", "Shipped", "Processing", "Returned", "Cancelled"]
N_ORDERS = 1500


def build_small_warehouse(path: Path) -> Path:
    """A thelook_ecommerce-shaped DuckDB file: users, orders, products, order_items.

    Values come from arithmetic on the row number (set-based SQL, fast and the
    same on every run): 1500 orders over 2023-2024, every status present.
    """
    con = duckdb.connect(str(path))
    statuses = "['" + "', '".join(STATUSES) + "']"
    con.execute(f"""
        CREATE SCHEMA thelook_ecommerce;
        CREATE TABLE thelook_ecommerce.users AS
            SELECT i AS id, CASE WHEN i % 2 = 0 THEN 'F' ELSE 'M' END AS gender,
                   (['United States', 'Brasil', 'China'])[1 + i % 3] AS country,
                   18 + (i * 7) % 53 AS age,
                   TIMESTAMP '2023-01-01' + to_days((i * 11) % 700) AS created_at
            FROM range(1, 301) t(i);
        CREATE TABLE thelook_ecommerce.orders AS
            SELECT i AS order_id, 1 + (i * 13) % 300 AS user_id,
                   ({statuses})[1 + ((i * 7) % 13) % 5] AS status,
                   TIMESTAMP '2023-01-01' + to_days((i * 37) % 730) + to_hours(i % 24)
                       AS created_at,
                   1 + i % 4 AS num_of_item
            FROM range(1, {N_ORDERS + 1}) t(i);
        CREATE TABLE thelook_ecommerce.products AS
            SELECT i AS id, (['Jeans', 'Tops & Tees', 'Swim', 'Accessories'])[1 + i % 4]
                       AS category,
                   CASE WHEN i % 3 = 0 THEN 'Men' ELSE 'Women' END AS department,
                   round(5 + (i * 17) % 145 + 0.99, 2) AS retail_price, 'Product ' || i AS name
            FROM range(1, 81) t(i);
        CREATE TABLE thelook_ecommerce.order_items AS
            SELECT order_id AS id, order_id, 1 + (order_id * 3) % 80 AS product_id,
                   round(5 + (order_id * 29) % 145 + 0.5, 2) AS sale_price, status, created_at
            FROM thelook_ecommerce.orders;
        COMMENT ON TABLE thelook_ecommerce.orders IS 'One row per order.';
    """)
    con.close()
    return path


# question pattern -> SQL the "analyst" writes (first match wins)
RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"each month|per month|monthly", re.I),
     "SELECT DATE_TRUNC(DATE(created_at), MONTH) AS month, COUNT(*) AS orders "
     "FROM thelook_ecommerce.orders GROUP BY month ORDER BY month"),
    (re.compile(r"by status", re.I),
     "SELECT status, COUNT(*) AS orders FROM thelook_ecommerce.orders "
     "GROUP BY status ORDER BY orders DESC"),
    (re.compile(r"list (all|every) orders", re.I),
     "SELECT order_id, status, created_at FROM thelook_ecommerce.orders ORDER BY order_id"),
    (re.compile(r"bad column", re.I),
     "SELECT no_such_column FROM thelook_ecommerce.orders"),
    (re.compile(r"how many orders", re.I),
     "SELECT COUNT(*) AS orders FROM thelook_ecommerce.orders"),
]
FOLLOW_UP = re.compile(r"only the (\w+) ones", re.I)


class AnalystModel(Model):
    """Explores like a careful analyst: looks at the metadata on a conversation's
    first question, runs one query, then summarises what came back."""

    name = "analyst"

    def __init__(self) -> None:
        self.requests: list[Request] = []

    def generate(self, request: Request) -> ModelTurn:
        self.requests.append(request)
        history = request.history
        last_user = max(i for i, m in enumerate(history) if m.role == "user")
        question = history[last_user].text or ""
        since = history[last_user + 1:]
        earlier = [m.text or "" for m in history[:last_user] if m.role == "user"]
        if "model down" in question.lower():
            raise ModelError("the language model is unavailable (test)")
        ran_sql = any(c.name == "sql_query" for m in since for c in m.calls)
        if request.tool_mode == "NONE" or ran_sql:
            return self._summary(since)
        sql = self._sql_for(question, earlier)
        if sql is None:
            return ModelTurn(Message("model", text="I cannot answer that from these datasets."),
                             usage=Usage(model_calls=1, prompt_tokens=50, output_tokens=9),
                             finish_reason=UNANSWERED)
        if not since and not earlier:  # explore the metadata first, two calls at once
            return _calls(("list_datasets", {}), ("get_table", {"table_id":
                                                                 "thelook_ecommerce.orders"}))
        return _calls(("sql_query", {"query": sql}))

    def _sql_for(self, question: str, earlier: list[str]) -> str | None:
        follow = FOLLOW_UP.search(question)
        if follow and any("order" in q.lower() for q in earlier):
            status = follow.group(1).capitalize()
            return (f"SELECT COUNT(*) AS {status.lower()}_orders FROM thelook_ecommerce.orders "
                    f"WHERE status = '{status}'")
        return next((sql for pattern, sql in RULES if pattern.search(question)), None)

    def _summary(self, since: list[Message]) -> ModelTurn:
        out: dict[str, Any] = {}
        for m in since:
            for r in m.responses:
                if r.name == "sql_query":
                    out = r.response
        if "error" in out:
            text = f"The query failed: {out['error']}"
        else:
            res = out["output"]
            cols, rows = res["columns"], res["rows"]
            if len(rows) == 1 and len(cols) == 1:
                text = f"There are **{rows[0][0]:,}** {cols[0].replace('_', ' ')}."
            else:
                text = (f"Here are {len(rows)} rows of {', '.join(cols)}.\n\n"
                        f"- The first row is `{rows[0][0]}`\n- Counted from the orders table")
        return ModelTurn(Message("model", text=text),
                         usage=Usage(model_calls=1, prompt_tokens=120, output_tokens=30))


def _calls(*specs: tuple[str, dict[str, Any]]) -> ModelTurn:
    calls = [FunctionCall(n, a, id=f"call-{i}") for i, (n, a) in enumerate(specs)]
    return ModelTurn(Message("model", calls=calls),
                     usage=Usage(model_calls=1, prompt_tokens=100, output_tokens=20))
