"""CSV exports re-run the SQL for the full result; charts render as SVG."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from nl2sql.models.scripted import ScriptedModel, calls, text
from tests.web.fakes import N_ORDERS


def asked(client: FlaskClient, question: str) -> dict:
    r = client.post("/api/ask", json={"question": question})
    assert r.status_code == 200
    return r.json


def test_csv_is_the_full_result_not_the_preview(client: FlaskClient) -> None:
    a = asked(client, "List all orders")
    assert a["truncated"] is True and len(a["rows"]) == 100  # NL2SQL_MAX_ROWS in the fixture
    r = client.get(a["links"]["csv"])
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert "Content-Length" not in r.headers  # streamed in chunks, not built whole
    assert r.headers["Content-Disposition"] == f'attachment; filename="answer-{a["answer_id"]}.csv"'
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
    assert rows[0] == ["order_id", "status", "created_at"]
    assert len(rows) == N_ORDERS + 1
    assert r.headers["X-Row-Count"] == str(N_ORDERS) and r.headers["X-Truncated"] == "false"
    assert [row[0] for row in rows[1:4]] == ["1", "2", "3"]


def test_csv_respects_the_export_cap(make_app: Callable[..., Flask]) -> None:
    client = make_app(export_max_rows=1000).test_client()
    a = asked(client, "List all orders")
    r = client.get(a["links"]["csv"])
    assert r.headers["X-Truncated"] == "true" and r.headers["X-Row-Count"] == "1000"
    assert len(r.get_data(as_text=True).splitlines()) == 1001


def test_csv_of_an_answer_without_sql_is_404(client: FlaskClient) -> None:
    a = asked(client, "What is the weather?")
    assert a["sql"] is None and a["links"]["csv"] is None
    r = client.get(f"/api/answers/{a['answer_id']}.csv")
    assert r.status_code == 404 and "no SQL" in r.json["error"]


def test_csv_goes_through_the_gate_again(make_app: Callable[..., Flask], web_db: object) -> None:
    """An answer saved when a dataset was allowed is not exported once it is not."""
    first = make_app()
    a = asked(first.test_client(), "How many orders by status?")
    later = make_app(allowed_datasets=("other",)).test_client()
    r = later.get(a["links"]["csv"])
    assert r.status_code == 400 and r.json["ok"] is False


def test_an_export_past_the_query_timeout_is_504(make_app: Callable[..., Flask]) -> None:
    """The re-run has the query timeout too; its error is documented (the client
    validates it against the OpenAPI file)."""
    heavy = ("SELECT SUM((a.order_id * b.order_id + c.id) % 7) AS n "
             "FROM thelook_ecommerce.orders a, thelook_ecommerce.orders b, "
             "thelook_ecommerce.products c WHERE c.id <= 20")
    first = make_app(model=ScriptedModel(calls(("sql_query", {"query": heavy})), text("Done.")))
    a = asked(first.test_client(), "A heavy question")
    assert a["sql"] and a["links"]["csv"]
    r = make_app(query_timeout_s=0.001).test_client().get(a["links"]["csv"])
    assert r.status_code == 504 and r.json["status"] == 504
    assert "cancelled" in r.json["error"]


# Text a spreadsheet would run: a formula, a DDE payload, a leading tab or CR.
FORMULAS = ("SELECT '=HYPERLINK(\"http://example.com/x\", \"click\")' AS `=link`, "
            "\"+cmd|' /C calc'!A0\" AS dde, '@SUM(1+1)' AS at, '\\t=1' AS tab, "
            "'-2+3' AS minus, -5 AS negative, '-5' AS negative_text")


def test_csv_cells_never_run_as_formulas(make_app: Callable[..., Flask]) -> None:
    app = make_app(model=ScriptedModel(calls(("sql_query", {"query": FORMULAS})), text("Done.")))
    client = app.test_client()
    a = asked(client, "Show the odd values")
    assert a["steps"][0]["ok"], a["steps"]
    (header, row) = list(csv.reader(io.StringIO(client.get(a["links"]["csv"]).get_data(
        as_text=True))))
    assert header[0] == "'=link"
    assert row[:5] == ["'=HYPERLINK(\"http://example.com/x\", \"click\")", "'+cmd|' /C calc'!A0",
                       "'@SUM(1+1)", "'\t=1", "'-2+3"]
    assert row[5:] == ["-5", "-5"]  # numbers stay numbers


def test_chart_svg(client: FlaskClient) -> None:
    a = asked(client, "How many orders were placed each month?")
    r = client.get(a["links"]["chart_svg"])
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    assert r.get_data(as_text=True).startswith("<svg")
    narrow = client.get(a["links"]["chart_svg"] + "?width=320").get_data(as_text=True)
    assert 'width="320"' in narrow
    assert client.get(a["links"]["chart_svg"] + "?width=wide").status_code == 400


@pytest.mark.parametrize("width", ["9" * 5000, "²", "-1", "1e3", "12px"])
def test_a_bad_chart_width_is_400(client: FlaskClient, width: str) -> None:
    a = asked(client, "How many orders were placed each month?")
    r = client.get(a["links"]["chart_svg"], query_string={"width": width})
    assert r.status_code == 400 and "width" in r.json["error"]


def test_no_chart_is_404(client: FlaskClient) -> None:
    a = asked(client, "List all orders")
    assert a["chart"] is None and a["links"]["chart_svg"] is None
    assert client.get(f"/api/answers/{a['answer_id']}/chart.svg").status_code == 404
