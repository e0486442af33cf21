"""Verified pairs: gate-checked when added, found for near questions, never a down-voted one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nl2sql.errors import BadRequest, NotFound, UnsafeSQL
from nl2sql.knowledge.feedback import FeedbackStore
from nl2sql.knowledge.library import file_queries
from nl2sql.knowledge.verified import VerifiedStore, search
from nl2sql.safety import Policy
from nl2sql.state import StateDB

POLICY = Policy(frozenset({"shop"}))
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ORDERS_SQL = "SELECT COUNT(*) FROM shop.orders WHERE status = 'Paid'"


@pytest.fixture
def db() -> StateDB:
    return StateDB(":memory:")


def test_added_pairs_are_found_for_the_same_question_in_other_words(db: StateDB) -> None:
    store = VerifiedStore(db)
    store.add("How many paid orders are there?", ORDERS_SQL, POLICY, user="ana")
    store.add("Revenue by country", "SELECT country, SUM(amount) FROM shop.orders GROUP BY 1",
              POLICY)
    found = search("how many paid orders were there", store.list())
    assert found[0].query.sql == ORDERS_SQL and found[0].same_question
    assert found[0].query.dataset == "shop" and found[0].query.created_by == "ana"
    near = search("How many paid orders are there in Portugal?", store.list())
    assert near[0].query.sql == ORDERS_SQL and not near[0].same_question
    assert search("average basket of refunded customers", store.list()) == []


def test_a_pair_the_gate_refuses_is_not_stored(db: StateDB) -> None:
    store = VerifiedStore(db)
    with pytest.raises(UnsafeSQL):
        store.add("Drop it", "DROP TABLE shop.orders", POLICY)
    with pytest.raises(UnsafeSQL):
        store.add("Salaries", "SELECT * FROM secret.salaries", POLICY)
    assert store.list() == []


def test_a_down_voted_answer_is_never_verified_nor_offered(db: StateDB) -> None:
    store, feedback = VerifiedStore(db), FeedbackStore(db)
    kept = store.add("How many paid orders?", ORDERS_SQL, POLICY, answer_id="a1")
    feedback.record("a1", "bo", "up")
    assert [q.id for q in store.list()] == [kept.id]
    feedback.record("a1", "cy", "down", "counts refunds too")
    assert store.list() == []  # voted down after it was verified: no longer offered
    with pytest.raises(BadRequest, match="voted down"):
        store.add("How many paid orders?", ORDERS_SQL, POLICY, answer_id="a1")


def test_remove_and_unknown_id(db: StateDB) -> None:
    store = VerifiedStore(db)
    q = store.add("How many paid orders?", ORDERS_SQL, POLICY)
    store.remove(q.id)
    assert store.list() == []
    with pytest.raises(NotFound):
        store.remove(q.id)


def test_the_definitions_files_pairs_are_candidates() -> None:
    pairs = file_queries("thelook_ecommerce")
    assert pairs and all(p.source == "file" and p.dataset == "thelook_ecommerce" for p in pairs)
    found = search("What is the revenue by product department?", pairs)
    assert found[0].same_question and "department" in found[0].query.sql


def test_pinned_report_sql_is_a_verified_pair(tmp_path: Path) -> None:
    from nl2sql.config import Settings
    from nl2sql.knowledge.library import Knowledge

    reports = tmp_path / "reports.yaml"
    shutil.copy(EXAMPLES / "reports.yaml", reports)
    knowledge = Knowledge(Settings(reports=str(reports)), StateDB(":memory:"))
    pinned = [q for q in knowledge.candidates() if q.source == "report"]
    assert [(q.id, q.dataset) for q in pinned] == [("report:order-count", "thelook_ecommerce")]
    found = knowledge.search("How many orders were placed yesterday", lambda ds: True)
    assert found[0].query.id == "report:order-count" and found[0].same_question
    # a report file the service cannot read costs the pairs, never the search
    reports.write_text("reports: [")
    assert all(q.source != "report" for q in knowledge.candidates())
