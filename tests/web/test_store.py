"""The conversation store: history round-trips, expiry, user scoping, concurrency."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from nl2sql.agent import Conversation
from nl2sql.errors import NotFound
from nl2sql.models.base import FunctionCall, FunctionResponse, Message
from nl2sql.state import ConversationStore, StateDB


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def history(*questions: str) -> Conversation:
    messages = []
    for q in questions:
        messages += [
            Message("user", text=q),
            Message("model", calls=[FunctionCall("sql_query", {"query": "SELECT 1"}, id="c1")],
                    native={"thought_signature": "abc"}),
            Message("tool", responses=[FunctionResponse("sql_query", {"output": {"rows": [[1]]}},
                                                        id="c1")]),
            Message("model", text=f"answer to {q}"),
        ]
    return Conversation(messages)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> ConversationStore:
    return ConversationStore(StateDB(tmp_path / "state.sqlite3"), ttl_s=3600, clock=clock)


def test_a_turn_round_trips_history_and_answer(store: ConversationStore) -> None:
    conv = history("How many orders?")
    cid, aid = store.add_turn(None, "alice", conv, {"question": "How many orders?", "sql": "S"})
    record = store.get(cid, "alice")
    assert [m.to_dict() for m in record.conversation.messages] == [
        m.to_dict() for m in conv.messages]
    answer = store.answer(aid, "alice")
    assert answer.sql == "S"
    assert answer.data["answer_id"] == aid and answer.data["conversation_id"] == cid


def test_follow_up_turns_extend_the_same_conversation(store: ConversationStore) -> None:
    cid, first = store.add_turn(None, "alice", history("q1"), {"question": "q1"})
    same, second = store.add_turn(cid, "alice", history("q1", "q2"), {"question": "q2"})
    assert same == cid and first != second
    assert [a.question for a in store.answers(cid, "alice")] == ["q1", "q2"]
    assert len(store.get(cid, "alice").messages) == 8


def test_other_users_see_nothing(store: ConversationStore) -> None:
    cid, aid = store.add_turn(None, "alice", history("q"), {"question": "q"})
    with pytest.raises(NotFound):
        store.get(cid, "bob")
    with pytest.raises(NotFound):
        store.answer(aid, "bob")
    with pytest.raises(NotFound):
        store.answers(cid, "bob")
    with pytest.raises(NotFound):  # nor may they write into it
        store.add_turn(cid, "bob", history("q"), {"question": "q"})


def test_conversations_expire_and_each_turn_extends_them(store: ConversationStore,
                                                         clock: Clock) -> None:
    cid, aid = store.add_turn(None, "alice", history("q"), {"question": "q"})
    clock.now += 3000
    store.add_turn(cid, "alice", history("q", "q2"), {"question": "q2"})
    clock.now += 3000  # 6000 s after creation, 3000 after the last turn: alive
    assert store.get(cid, "alice").id == cid
    clock.now += 601
    with pytest.raises(NotFound):
        store.get(cid, "alice")
    with pytest.raises(NotFound):
        store.answer(aid, "alice")
    assert store.purge_expired() == 1
    assert store.db.fetch("SELECT count(*) AS n FROM answers")[0]["n"] == 0


def test_latest_conversation_finds_a_recent_one(store: ConversationStore, clock: Clock) -> None:
    assert store.latest_conversation("alice", within_s=300) is None
    old, _ = store.add_turn(None, "alice", history("q"), {"question": "q"}, interface="slack")
    clock.now += 10
    web, _ = store.add_turn(None, "alice", history("q"), {"question": "q"}, interface="web")
    assert store.latest_conversation("alice", within_s=300) == web
    assert store.latest_conversation("alice", within_s=300, interface="slack") == old
    assert store.latest_conversation("bob", within_s=300) is None
    clock.now += 301
    assert store.latest_conversation("alice", within_s=300) is None


def test_the_file_is_in_wal_mode_and_shared_between_handles(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    one, two = ConversationStore(StateDB(path)), ConversationStore(StateDB(path))
    cid, _ = one.add_turn(None, "alice", history("q"), {"question": "q"})
    assert two.get(cid, "alice").id == cid
    assert one.db.fetch("PRAGMA journal_mode")[0][0] == "wal"


def test_concurrent_turns_from_threads_and_handles(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    stores = [ConversationStore(StateDB(path)) for _ in range(2)]
    cid, _ = stores[0].add_turn(None, "alice", history("q"), {"question": "q"})
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(10):
                stores[n % 2].add_turn(cid, "alice", history("q"), {"question": f"{n}-{i}"})
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(stores[1].answers(cid, "alice")) == 61
