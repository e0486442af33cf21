"""Feedback and verification over HTTP (responses checked against the OpenAPI file)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from nl2sql.web.services import services
from tests.web.iap import FakeIap
from tests.web.test_api import ask


def test_votes_are_stored_per_user_replaced_and_counted(client: FlaskClient, app: Flask,
                                                         iap: FakeIap) -> None:
    ann = iap.headers("ann@x.org")
    aid = ask(client, "How many orders are there?", **ann)["answer_id"]
    r = client.post(f"/api/answers/{aid}/feedback", json={"vote": "up"}, headers=ann)
    assert r.status_code == 200
    assert r.json["counts"] == {"up": 1, "down": 0} and r.json["comment"] is None
    r = client.post(f"/api/answers/{aid}/feedback",
                    json={"vote": "down", "comment": " counts cancelled orders "}, headers=ann)
    assert r.json["counts"] == {"up": 0, "down": 1}  # the later vote replaced the first
    assert r.json["comment"] == "counts cancelled orders"
    stored = services(app).runtime.knowledge.feedback.list()  # type: ignore[union-attr]
    assert [(f.user, f.vote, f.question) for f in stored] == [
        ("ann@x.org", "down", "How many orders are there?")]
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'nl2sql_feedback_total{interface="web",vote="down"} 1' in metrics
    assert 'nl2sql_feedback_total{interface="web",vote="up"} 1' in metrics


def test_feedback_on_someone_elses_answer_reads_as_missing(client: FlaskClient,
                                                           iap: FakeIap) -> None:
    aid = ask(client, "How many orders are there?", **iap.headers("ann@x.org"))["answer_id"]
    r = client.post(f"/api/answers/{aid}/feedback", json={"vote": "up"},
                    headers=iap.headers("bob@x.org"))
    assert r.status_code == 404
    r = client.post(f"/api/answers/{aid}/verify", headers=iap.headers("bob@x.org"))
    assert r.status_code == 404


def test_bad_feedback_is_a_sentence(client: FlaskClient) -> None:
    aid = ask(client, "How many orders are there?")["answer_id"]
    for body, message in (({"vote": "meh"}, "'vote' must be"),
                          ({"vote": "up", "comment": 3}, "'comment' must be a string"),
                          ({"vote": "up", "comment": "x" * 2001}, "too long"),
                          ({"vote": "up", "stars": 5}, "unknown field")):
        r = client.post(f"/api/answers/{aid}/feedback", json=body)
        assert r.status_code == 400 and message in r.json["error"], body


def test_a_verified_answer_is_offered_and_a_down_voted_one_never(client: FlaskClient,
                                                                 app: Flask) -> None:
    knowledge = services(app).runtime.knowledge
    good = ask(client, "How many orders are there?")
    r = client.post(f"/api/answers/{good['answer_id']}/verify")
    assert r.status_code == 200, r.json
    assert r.json["verified_query"]["sql"] == good["sql"]
    assert r.json["verified_query"]["source"] == "analyst"
    found = knowledge.search("how many orders are there", lambda ds: True)
    assert found and found[0].query.sql == good["sql"] and found[0].same_question

    bad = ask(client, "How many orders are there by status?")
    client.post(f"/api/answers/{bad['answer_id']}/feedback", json={"vote": "down"})
    r = client.post(f"/api/answers/{bad['answer_id']}/verify")
    assert r.status_code == 400 and "voted down" in r.json["error"]
    assert all(q.answer_id != bad["answer_id"] for q in knowledge.candidates())


def test_an_unanswered_question_cannot_be_verified(client: FlaskClient) -> None:
    r = client.post("/api/ask", json={"question": "What is the meaning of life?"})
    r = client.post(f"/api/answers/{r.json['answer_id']}/verify")
    assert r.status_code == 400 and "with SQL" in r.json["error"]
