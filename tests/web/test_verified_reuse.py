"""Over HTTP with the offline planner: a verified answer is reused and says so, until
someone votes the reused answer down (responses checked against the OpenAPI file)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from nl2sql.models.offline import OfflinePlanner
from tests.web.iap import FakeIap
from tests.web.test_api import ask

REUSED = "I reused a verified query"


def test_a_verified_answer_is_reused_until_a_reuse_is_voted_down(
        make_app: Callable[..., Flask], iap: FakeIap) -> None:
    client = make_app(OfflinePlanner()).test_client()
    ann = iap.headers("ann@x.org")
    alone = ask(client, "How busy were we?", **ann)
    assert alone["answered"] is False  # nothing in the data says what "busy" means

    counted = ask(client, "How many orders are there?", **ann)
    assert counted["answered"] and REUSED not in counted["answer"]
    r = client.post(f"/api/answers/{counted['answer_id']}/verify",
                    json={"question": "How busy were we?"}, headers=ann)
    assert r.status_code == 200, r.json
    pair = r.json["verified_query"]

    reused = ask(client, "how busy were we", **ann)
    assert reused["answered"] and reused["rows"] == counted["rows"]
    assert REUSED in reused["answer"] and pair["id"] in reused["answer"]
    assert "verified by ann@x.org" in reused["answer"]
    assert reused["interpretation"]["summary"].startswith(f"Reused verified query {pair['id']}")
    assert [s["name"] for s in reused["steps"]] == ["list_datasets", "search_verified_queries",
                                                    "sql_query"]

    r = client.post(f"/api/answers/{reused['answer_id']}/feedback",
                    json={"vote": "down", "comment": "busy means sessions"}, headers=ann)
    assert r.status_code == 200
    after = ask(client, "How busy were we?", **ann)
    assert after["answered"] is False and REUSED not in after["answer"]
    assert "sql_query" not in [s["name"] for s in after["steps"]]


def test_a_definitions_file_pair_is_reused_and_a_down_vote_retires_it(
        make_app: Callable[..., Flask]) -> None:
    client = make_app(OfflinePlanner()).test_client()
    question = "How many orders were placed each year?"  # in thelook_ecommerce.yaml
    reused = ask(client, question)
    assert REUSED in reused["answer"] and "file:thelook_ecommerce:" in reused["answer"]
    assert "definitions file" in reused["interpretation"]["rules"][0]
    client.post(f"/api/answers/{reused['answer_id']}/feedback", json={"vote": "down"})
    again = ask(client, "how many orders were placed for every year")
    assert REUSED not in again["answer"]
