"""Test doubles used through the public API: a small warehouse file and a
rule-following model (a real ``Model`` subclass, like ``ScriptedModel``, whose
turns depend on the question and on what the tools returned)."""

from __future__ import annotations

import datetime as dt
import random
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


def build_small_warehouse(path: Path, seed: int = 7) -> Path:
    """A thelook_ecommerce-shaped DuckDB file: users, orders, products, order_items."""
    rng = random.Random(seed)
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA thelook_ecommerce")
    con.execute("CREATE TABLE thelook_ecommerce.users (id BIGINT, gender VARCHAR, "
                "country VARCHAR, age BIGINT, created_at TIMESTAMP)")
    con.execute("CREATE TABLE thelook_ecommerce.orders (order_id BIGINT, user_id BIGINT, "
                "status VARCHAR, created_at TIMESTAMP, num_of_item BIGINT)")
    con.execute("CREATE TABLE thelook_ecommerce.products (id BIGINT, category VARCHAR, "
                "department VARCHAR, retail_price DOUBLE, name VARCHAR)")
    con.execute("CREATE TABLE thelook_ecommerce.order_items (id BIGINT, order_id BIGINT, "
                "product_id BIGINT, sale_price DOUBLE, status VARCHAR, created_at TIMESTAMP)")
    start = dt.datetime(2023, 1, 1)
    users = [(i, rng.choice("MF"), rng.choice(["United States", "Brasil", "China"]),
              rng.randint(18, 70), start + dt.timedelta(days=rng.randint(0, 700)))
             for i in range(1, 301)]
    orders = [(i, rng.randint(1, 300), rng.choices(STATUSES, [5, 4, 3, 2, 1])[0],
               start + dt.timedelta(days=rng.randint(0, 729), hours=rng.randint(0, 23)),
               rng.randint(1, 4)) for i in range(1, N_ORDERS + 1)]
    products = [(i, rng.choice(["Jeans", "Tops & Tees", "Swim", "Accessories"]),
                 rng.choice(["Men", "Women"]), round(rng.uniform(5, 150), 2), f"Product {i}")
                for i in range(1, 81)]
    items = [(i, o[0], rng.randint(1, 80), round(rng.uniform(5, 150), 2), o[2], o[3])
             for i, o in enumerate(orders, start=1)]
    con.executemany("INSERT INTO thelook_ecommerce.users VALUES (?, ?, ?, ?, ?)", users)
    con.executemany("INSERT INTO thelook_ecommerce.orders VALUES (?, ?, ?, ?, ?)", orders)
    con.executemany("INSERT INTO thelook_ecommerce.products VALUES (?, ?, ?, ?, ?)", products)
    con.executemany("INSERT INTO thelook_ecommerce.order_items VALUES (?, ?, ?, ?, ?, ?)",
                    items)
    con.execute("COMMENT ON TABLE thelook_ecommerce.orders IS 'One row per order.'")
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
