"""The offline planner reuses a verified query for the same question, and says so.

Through the Agent on a real DuckDB file (the library of tests/models/test_offline.py),
with pairs added to a real state store the way ``nl2sql verified add`` adds them.
The planner finds them with ``search_verified_queries``, the function Gemini calls.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nl2sql.agent import Agent, Conversation
from nl2sql.answer import Answer
from nl2sql.config import Settings
from nl2sql.knowledge.library import Knowledge
from nl2sql.models.offline import OfflinePlanner
from nl2sql.models.planner.verified import same_question
from nl2sql.state import StateDB
from nl2sql.warehouse.duckdb import DuckDBWarehouse
from tests.models.test_offline import LIBRARY_SQL, build_db, sql

AT_RISK = "Which members are at risk of churning?"
# Nothing in the schema says "at risk" or "churning": only an analyst can say what it means.
AT_RISK_SQL = ("SELECT m.id, m.last_name, COUNT(*) AS overdue_loans FROM library.members AS m "
               "JOIN library.loans AS l ON l.member_id = m.id WHERE l.status = 'Overdue' "
               "GROUP BY m.id, m.last_name HAVING COUNT(*) >= 3 ORDER BY m.id")


@pytest.fixture(scope="module")
def library_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory, "library-verified", "lib.duckdb", LIBRARY_SQL)


@pytest.fixture
def warehouse(library_db: Path) -> Iterator[DuckDBWarehouse]:
    wh = DuckDBWarehouse(library_db)
    yield wh
    wh.close()


@pytest.fixture
def knowledge() -> Knowledge:
    return Knowledge(Settings(), StateDB(":memory:"))


def add(knowledge: Knowledge, question: str, query: str, user: str = "ana") -> str:
    assert knowledge.verified is not None
    return knowledge.verified.add(question, query, knowledge.policy, user=user).id


def ask(warehouse: DuckDBWarehouse, knowledge: Knowledge,
        question: str) -> tuple[Answer, Conversation]:
    return Agent(OfflinePlanner(), warehouse, Settings(), knowledge=knowledge).ask(question)


def ran(answer: Answer) -> list[str]:
    return [s.args["query"] for s in answer.steps if s.name == "sql_query"]


def offered(conversation: Conversation) -> list[dict[str, Any]]:
    """What search_verified_queries returned to the planner."""
    return [r.response["output"]["matches"] for m in conversation.messages
            for r in m.responses if r.name == "search_verified_queries"][-1]


def test_a_verified_pair_answers_what_the_planner_alone_declines(
        warehouse: DuckDBWarehouse, knowledge: Knowledge, library_db: Path) -> None:
    alone, _ = ask(warehouse, knowledge, AT_RISK)
    assert not alone.answered  # "at risk of churning" is in no name or description

    pair = add(knowledge, AT_RISK, AT_RISK_SQL)
    answer, _ = ask(warehouse, knowledge, AT_RISK)

    assert answer.answered
    assert [s.name for s in answer.steps][:2] == ["list_datasets", "search_verified_queries"]
    assert ran(answer) == [AT_RISK_SQL]  # the pair's SQL, through sql_query and the gate
    assert [tuple(r) for r in answer.rows] == sql(library_db, AT_RISK_SQL)
    assert "I reused a verified query" in answer.answer
    assert pair in answer.answer and AT_RISK in answer.answer and "ana" in answer.answer
    read = answer.interpretation
    assert read is not None and read.summary.startswith(f"Reused verified query {pair}")
    assert "by ana" in read.rules[0] and AT_RISK in read.rules[0]


@pytest.mark.parametrize("reworded", [
    "which members are at risk of churning",
    "Could you show me which members are at risk of churning, please?",
    "What members are at risk of churning?",
])
def test_a_near_identical_rewording_reuses_the_pair(
        warehouse: DuckDBWarehouse, knowledge: Knowledge, reworded: str) -> None:
    add(knowledge, AT_RISK, AT_RISK_SQL)
    answer, _ = ask(warehouse, knowledge, reworded)
    assert answer.answered and ran(answer) == [AT_RISK_SQL]
    assert "I reused a verified query" in answer.answer


def test_rewordings_of_a_count_reuse_it_and_the_numbers_are_its_own(
        warehouse: DuckDBWarehouse, knowledge: Knowledge, library_db: Path) -> None:
    query = ("SELECT COUNT(*) AS loans FROM library.loans "
             "WHERE EXTRACT(YEAR FROM borrowed_at) = 2022")
    add(knowledge, "How many loans were made in 2022?", query)
    for asked in ("Number of loans made in 2022", "how many loans were made in 2022"):
        answer, _ = ask(warehouse, knowledge, asked)
        assert ran(answer) == [query], asked
        n = sql(library_db, query)[0][0]
        assert answer.rows == [[n]] and f"The answer is {n}." in answer.answer


# A question that differs in one year, number, value, negation, measure or grouping word
# is another question: the pair is offered (the search finds it similar) but not run.
NEAR_MISSES = [
    ("How many loans were made in 2022?",
     "SELECT COUNT(*) FROM library.loans WHERE EXTRACT(YEAR FROM borrowed_at) = 2022",
     "How many loans were made in 2023?"),
    ("What are the top 3 cities by number of members?",
     "SELECT city, COUNT(*) FROM library.members GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3",
     "What are the top 5 cities by number of members?"),
    ("How many members live in Lisbon?",
     "SELECT COUNT(*) FROM library.members WHERE city = 'Lisbon'",
     "How many members live in City B?"),
    ("How many loans are overdue?",
     "SELECT COUNT(*) FROM library.loans WHERE status = 'Overdue'",
     "How many loans are not overdue?"),
    ("What is the total late fee by membership?",
     "SELECT m.membership, SUM(l.late_fee) FROM library.loans AS l JOIN library.members AS m "
     "ON l.member_id = m.id GROUP BY 1",
     "What is the average late fee by membership?"),
    ("What is the total late fee by membership?",
     "SELECT m.membership, SUM(l.late_fee) FROM library.loans AS l JOIN library.members AS m "
     "ON l.member_id = m.id GROUP BY 1",
     "What is the total late fee by city?"),
    (AT_RISK, AT_RISK_SQL, "Which members are not at risk of churning?"),
]


@pytest.mark.parametrize(("verified", "query", "asked"), NEAR_MISSES)
def test_a_question_differing_in_one_value_is_planned_not_reused(
        warehouse: DuckDBWarehouse, knowledge: Knowledge, verified: str, query: str,
        asked: str) -> None:
    add(knowledge, verified, query)
    answer, conversation = ask(warehouse, knowledge, asked)
    assert [m["question"] for m in offered(conversation)][:1] == [verified]
    assert query not in ran(answer)
    assert "verified query" not in answer.answer
    assert answer.interpretation is None or "verified" not in answer.interpretation.summary


def test_the_year_near_miss_is_answered_for_its_own_year(
        warehouse: DuckDBWarehouse, knowledge: Knowledge, library_db: Path) -> None:
    add(knowledge, "How many loans were made in 2022?",
        "SELECT COUNT(*) FROM library.loans WHERE EXTRACT(YEAR FROM borrowed_at) = 2022")
    answer, conversation = ask(warehouse, knowledge, "How many loans were made in 2023?")
    assert offered(conversation)[0]["same_question"]  # the search's fuzzy hint says "same"
    gold = sql(library_db, "SELECT COUNT(*) FROM library.loans "
                           "WHERE EXTRACT(YEAR FROM borrowed_at) = 2023")
    assert answer.answered and [tuple(r) for r in answer.rows] == gold


def test_pairs_that_disagree_and_pairs_that_fail_are_not_the_answer(
        warehouse: DuckDBWarehouse, knowledge: Knowledge, library_db: Path) -> None:
    question = "How many books are there?"
    add(knowledge, question, "SELECT COUNT(*) FROM library.books WHERE pages > 100")
    add(knowledge, question, "SELECT COUNT(*) FROM library.books", user="bo")
    answer, _ = ask(warehouse, knowledge, question)  # two analysts disagree: plan it
    assert "verified query" not in answer.answer
    assert answer.rows == [[sql(library_db, "SELECT COUNT(*) FROM library.books")[0][0]]]

    fresh = Knowledge(Settings(), StateDB(":memory:"))
    add(fresh, question, "SELECT COUNT(*) FROM library.old_books")  # a table since dropped
    answer, _ = ask(warehouse, fresh, question)
    assert ran(answer)[0] == "SELECT COUNT(*) FROM library.old_books"
    assert answer.answered and "verified query" not in answer.answer
    assert answer.rows == [[sql(library_db, "SELECT COUNT(*) FROM library.books")[0][0]]]


def test_a_pair_over_a_dataset_this_warehouse_lacks_is_not_run(
        warehouse: DuckDBWarehouse, knowledge: Knowledge) -> None:
    # The demo's definitions file ships this pair over thelook_ecommerce.
    answer, conversation = ask(warehouse, knowledge,
                               "What was the revenue by product department?")
    assert offered(conversation)[0]["dataset_id"] == "thelook_ecommerce"
    assert not any("thelook_ecommerce" in q for q in ran(answer))
    assert "verified query" not in answer.answer


@pytest.mark.parametrize(("a", "b"), [
    ("How many orders were placed each year?", "Number of orders placed for every year"),
    ("What's the revenue by region?", "what is the revenue by region"),
    ("Which customers haven't ordered?", "Which customers have not ordered"),
    ("Top five products by sales", "top 5 products by sales"),
    ("Customers with more than 1,000 points", "customers with more than 1000 points"),
])
def test_same_question_in_other_words(a: str, b: str) -> None:
    assert same_question(a, b)


@pytest.mark.parametrize(("a", "b"), [
    ("Revenue by region in 2023", "Revenue by region in 2024"),
    ("Revenue by region in Q1", "Revenue by region in Q2"),
    ("Top 5 products by sales", "Top 10 products by sales"),
    ("Orders shipped to Texas", "Orders shipped to Ohio"),
    ("Orders that were cancelled", "Orders that were not cancelled"),
    ("Customers who have ordered", "Customers who never ordered"),
    ("Total revenue by region", "Average revenue by region"),
    ("Revenue by region", "Revenue by country"),
    ("Revenue by region", "Revenue by region and month"),
    ("Orders placed by customers", "Orders placed for each customer"),
    ("Orders after March", "Orders before March"),
    ("Orders", "Orders by status"),
    ("", ""),
])
def test_a_different_question_is_not_the_same(a: str, b: str) -> None:
    assert not same_question(a, b)
