"""The JSON API through Flask's test client (responses checked against the OpenAPI file)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from nl2sql.errors import WarehouseError
from nl2sql.models.base import Model, ModelTurn, Request
from nl2sql.web.services import services
from tests.web.fakes import AnalystModel
from tests.web.iap import FakeIap


def ask(client: FlaskClient, question: str, conversation_id: str | None = None,
        **headers: str) -> dict:
    body = {"question": question}
    if conversation_id:
        body["conversation_id"] = conversation_id
    response = client.post("/api/ask", json=body, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def test_ask_returns_the_answer_object(client: FlaskClient) -> None:
    a = ask(client, "How many orders were placed each month?")
    assert a["ok"] is True and a["answered"] is True
    assert a["columns"] == ["month", "orders"] and a["row_count"] == len(a["rows"]) == 24
    assert a["sql"].startswith("SELECT DATE_TRUNC") and a["truncated"] is False
    assert [s["name"] for s in a["steps"]] == ["list_datasets", "get_table", "sql_query"]
    assert a["usage"]["model_calls"] == 3 and a["model"] == "analyst"
    assert a["chart"]["kind"] == "line" and a["chart"]["spec"]["mark"]["type"] == "line"
    assert set(a["timings"]) == {"total_s", "model_s", "tools_s", "query_s"}
    assert a["timings"]["query_s"] > 0
    assert a["links"]["csv"] == f"/api/answers/{a['answer_id']}.csv"
    assert len(a["answer_id"]) == len(a["conversation_id"]) == 24


def test_chart_kinds_follow_the_result_shape(client: FlaskClient) -> None:
    assert ask(client, "How many orders by status?")["chart"]["kind"] == "bar"
    number = ask(client, "How many orders are there?")
    assert number["chart"]["kind"] == "number" and number["chart"]["value"] == 1500
    assert ask(client, "List all orders")["chart"] is None


def test_follow_ups_carry_the_history(app: Flask, client: FlaskClient) -> None:
    model: AnalystModel = services(app).runtime.model  # type: ignore[assignment]
    first = ask(client, "How many orders are there?")
    follow = ask(client, "And only the Complete ones?", first["conversation_id"])
    assert follow["conversation_id"] == first["conversation_id"]
    assert "WHERE status = 'Complete'" in follow["sql"]
    assert follow["steps"][0]["name"] == "sql_query"  # no need to explore again
    history = model.requests[-1].history
    assert history[0].text == "How many orders are there?"
    # Without the conversation the same words mean nothing to the model.
    alone = ask(client, "And only the Complete ones?")
    assert alone["answered"] is False and alone["conversation_id"] != first["conversation_id"]


def test_conversation_and_answer_endpoints(client: FlaskClient) -> None:
    first = ask(client, "How many orders are there?")
    second = ask(client, "And only the Shipped ones?", first["conversation_id"])
    got = client.get(f"/api/conversations/{first['conversation_id']}").json
    assert [a["answer_id"] for a in got["answers"]] == [first["answer_id"], second["answer_id"]]
    assert got["expires_at"] > got["updated_at"] >= got["created_at"]
    again = client.get(f"/api/answers/{second['answer_id']}").json
    assert again["sql"] == second["sql"] and again["rows"] == second["rows"]


def test_conversations_are_scoped_to_their_user(client: FlaskClient, iap: FakeIap) -> None:
    mine = ask(client, "How many orders are there?", **iap.headers("ann@x.org"))
    cid, aid = mine["conversation_id"], mine["answer_id"]
    other = iap.headers("bob@x.org")
    for path in (f"/api/conversations/{cid}", f"/api/answers/{aid}", f"/api/answers/{aid}.csv",
                 f"/api/answers/{aid}/chart.svg"):
        r = client.get(path, headers=other)
        assert r.status_code == 404, path
        assert client.get(path, headers=iap.headers("ann@x.org")).status_code == 200
    r = client.post("/api/ask", json={"question": "And only the Complete ones?",
                                      "conversation_id": cid}, headers=other)
    assert r.status_code == 404


def test_datasets_and_examples(client: FlaskClient) -> None:
    body = client.get("/api/datasets").json
    (dataset,) = body["datasets"]
    assert dataset["dataset_id"] == "thelook_ecommerce"
    assert {t["table_id"] for t in dataset["tables"]} == {
        f"thelook_ecommerce.{t}" for t in ("orders", "order_items", "products", "users")}
    assert 3 <= len(body["examples"]) <= 6
    assert any("each month" in q for q in body["examples"])
    assert any(" by " in q for q in body["examples"])


def test_datasets_respect_the_allowlist(make_app: Callable[..., Flask]) -> None:
    client = make_app(allowed_datasets=("elsewhere",)).test_client()
    body = client.get("/api/datasets").json
    assert body["datasets"] == [] and body["examples"] == []


def test_healthz(client: FlaskClient) -> None:
    assert client.get("/healthz").json == {"ok": True, "status": "ok", "auth": "none"}


# -- errors: one envelope, the right status, never a traceback ----------------------


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"data": "not json", "content_type": "text/plain"}, "JSON body"),
    ({"data": "{broken", "content_type": "application/json"}, "not valid JSON"),
    ({"json": ["a list"]}, "JSON object"),
    ({"json": {}}, "'question'"),
    ({"json": {"question": "   "}}, "'question'"),
    ({"json": {"question": 42}}, "'question'"),
    ({"json": {"question": "x" * 2001}}, "longer than 2000"),
    ({"json": {"question": "q", "conversation_id": "../../etc"}}, "conversation_id"),
    ({"json": {"question": "q", "conversation_id": 7}}, "conversation_id"),
])
def test_bad_input_is_400(client: FlaskClient, kwargs: dict, message: str) -> None:
    r = client.post("/api/ask", **kwargs)
    assert r.status_code == 400
    assert r.json["ok"] is False and r.json["status"] == 400 and message in r.json["error"]


def test_unknown_conversation_is_404(client: FlaskClient) -> None:
    r = client.post("/api/ask", json={"question": "q", "conversation_id": "0" * 24})
    assert r.status_code == 404 and r.json == {
        "ok": False, "status": 404,
        "error": f"conversation {'0' * 24!r} not found (or expired)"}
    assert client.get("/api/answers/not-an-id").status_code == 404


def test_body_over_the_limit_is_413(client: FlaskClient) -> None:
    r = client.post("/api/ask", data='{"question": "' + "x" * 70_000 + '"}',
                    content_type="application/json")
    assert r.status_code == 413
    assert r.json == {"ok": False, "status": 413,
                      "error": "request body is larger than 65536 bytes"}


def test_rate_limit_is_429_per_user(make_app: Callable[..., Flask], iap: FakeIap) -> None:
    client = make_app(rate_limit="2/minute").test_client()
    ask(client, "How many orders are there?")
    ask(client, "How many orders are there?")
    r = client.post("/api/ask", json={"question": "How many orders are there?"})
    assert r.status_code == 429 and r.json["status"] == 429
    assert "2 per minute" in r.json["error"]
    assert 1 <= int(r.headers["Retry-After"]) <= 60
    # Another user still has a budget.
    ask(client, "How many orders are there?", **iap.headers("bob@x.org"))
    # A made-up user header is not another user (it is not IAP's signed JWT).
    forged = {"X-Goog-Authenticated-User-Email": "accounts.google.com:eve@x.org"}
    assert client.post("/api/ask", json={"question": "How many orders are there?"},
                       headers=forged).status_code == 429


class Down(Model):
    name = "down"

    def generate(self, request: Request) -> ModelTurn:
        from nl2sql.errors import ModelError

        raise ModelError("Gemini is not reachable (503 from the API)")


def test_model_unavailable_is_503(make_app: Callable[..., Flask]) -> None:
    r = make_app(model=Down()).test_client().post("/api/ask", json={"question": "q"})
    assert r.status_code == 503
    assert r.json == {"ok": False, "status": 503,
                      "error": "Gemini is not reachable (503 from the API)"}


def test_warehouse_unavailable_is_503(make_app: Callable[..., Flask], tmp_path: Path) -> None:
    client = make_app(warehouse=f"duckdb:///{tmp_path}/missing.duckdb").test_client()
    for r in (client.post("/api/ask", json={"question": "How many orders are there?"}),
              client.get("/api/datasets")):
        assert r.status_code == 503 and "does not exist" in r.json["error"]


class Broken(Model):
    name = "broken"

    def generate(self, request: Request) -> ModelTurn:
        raise ZeroDivisionError("secret internals")


def test_unexpected_errors_are_500_without_a_traceback(make_app: Callable[..., Flask],
                                                      caplog: pytest.LogCaptureFixture) -> None:
    r = make_app(model=Broken()).test_client().post("/api/ask", json={"question": "q"})
    assert r.status_code == 500
    assert r.json == {"ok": False, "error": "internal error", "status": 500}
    assert b"Traceback" not in r.data and b"secret" not in r.data
    assert any(rec.exc_info for rec in caplog.records)  # but it is logged for us


def test_unknown_routes_and_methods_use_the_envelope(client: FlaskClient) -> None:
    r = client.get("/api/nope")
    assert r.status_code == 404 and r.json["ok"] is False and r.json["status"] == 404
    assert r.json["error"] == "no such page or endpoint: /api/nope"
    r = client.get("/api/ask")
    assert r.status_code == 405 and "POST" in r.headers["Allow"]
    assert r.json["status"] == 405
    assert r.json["error"] == "GET is not allowed on /api/ask; use POST"


def test_step_errors_reach_the_answer(client: FlaskClient) -> None:
    a = ask(client, "Show the bad column")
    (failed,) = [s for s in a["steps"] if not s["ok"]]
    assert failed["name"] == "sql_query" and "no_such_column" in failed["error"]
    assert a["answer"].startswith("The query failed")


def test_warehouse_error_type_maps_to_503() -> None:
    assert WarehouseError("x").status == 503
