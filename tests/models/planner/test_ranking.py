"""Rankings end to end through the Agent on DuckDB, over schemas in three naming styles:
"the most common X", the group with the most related rows through a join, the most
money spent, the columns of the row a superlative picks, and the questions it cannot
rank precisely, which must stay declined."""

from __future__ import annotations

from pathlib import Path

import pytest

from nl2sql.models.planner.resolve import understand
from tests.models.planner.catalogs import catalog_of
from tests.models.planner.conftest import ask_db, gold, make_db

# Clear winners everywhere: a tie at a LIMIT 1 cut-off would make any one row "right".
SNAKE = """
CREATE SCHEMA shop;
CREATE TABLE shop.categories (id BIGINT, name VARCHAR);
CREATE TABLE shop.products (id BIGINT, category_id BIGINT, name VARCHAR, price DOUBLE);
CREATE TABLE shop.customers (id BIGINT, name VARCHAR, city VARCHAR, age INTEGER);
CREATE TABLE shop.orders (id BIGINT, customer_id BIGINT, amount DOUBLE, status VARCHAR,
                          placed_on DATE);
CREATE TABLE shop.prescriptions (id BIGINT, customer_id BIGINT, medication VARCHAR);
INSERT INTO shop.categories VALUES (1, 'Toys'), (2, 'Books'), (3, 'Tools');
INSERT INTO shop.products SELECT i, [1, 2, 2, 2, 3, 3][i], 'P' || i, i * 2.0
  FROM range(1, 7) t(i);
INSERT INTO shop.customers VALUES (1, 'Ann', 'Oslo', 31), (2, 'Bob', 'Rome', 22),
  (3, 'Cy', 'Oslo', 45), (4, 'Di', 'Lima', 38), (5, 'Ed', 'Oslo', 29);
INSERT INTO shop.orders SELECT i, [1, 1, 1, 2, 2, 3, 4, 4][i], [5, 5, 5, 10, 10, 90, 1, 2][i],
  ['Paid', 'Open', 'Paid', 'Paid', 'Open', 'Paid', 'Paid', 'Open'][i],
  DATE '2024-01-01' + INTERVAL ([3, 1, 4, 8, 5, 9, 2, 6][i] * 7) DAY FROM range(1, 9) t(i);
INSERT INTO shop.prescriptions SELECT i, 1 + i % 5, ['Aspirin', 'Ibuprofen', 'Aspirin',
  'Zinc', 'Aspirin', 'Ibuprofen'][i] FROM range(1, 7) t(i);
"""

PASCAL = """
CREATE SCHEMA kennel;
CREATE TABLE kennel.Breeds (BreedCode VARCHAR, BreedName VARCHAR);
CREATE TABLE kennel.Owners (OwnerId BIGINT, FirstName VARCHAR, LastName VARCHAR,
                            HomeCity VARCHAR, Age INTEGER);
CREATE TABLE kennel.Dogs (DogId BIGINT, BreedCode VARCHAR, OwnerId BIGINT, Name VARCHAR,
                          Age INTEGER);
CREATE TABLE kennel.Treatments (TreatmentId BIGINT, DogId BIGINT, CostOfTreatment DOUBLE);
INSERT INTO kennel.Breeds VALUES ('BUL', 'Bulldog'), ('HUS', 'Husky'), ('ESK', 'Eskimo');
INSERT INTO kennel.Owners VALUES (1, 'Ann', 'Abel', 'Oslo', 50), (2, 'Ben', 'Bose', 'Rome', 28),
  (3, 'Cat', 'Cole', 'Lima', 35);
INSERT INTO kennel.Dogs SELECT i, ['BUL', 'BUL', 'HUS', 'BUL', 'ESK', 'HUS', 'BUL'][i],
  [1, 1, 2, 2, 3, 3, 3][i], 'D' || i, i FROM range(1, 8) t(i);
-- owner 3 has the most treatments (4), owner 1 spent the most (500)
INSERT INTO kennel.Treatments SELECT i, [1, 2, 5, 6, 7, 7, 3][i],
  [300, 200, 10, 10, 10, 10, 50][i] FROM range(1, 8) t(i);
"""

TERSE = """
CREATE SCHEMA ops;
CREATE TABLE ops.region (region_cd VARCHAR, region_nm VARCHAR);
CREATE TABLE ops.cust (cust_id BIGINT, nm VARCHAR, region_cd VARCHAR, hometown VARCHAR,
                       age INTEGER);
CREATE TABLE ops.txn (txn_id BIGINT, cust_id BIGINT, amt DOUBLE);
INSERT INTO ops.region VALUES ('N', 'North'), ('S', 'South'), ('E', 'East');
INSERT INTO ops.cust SELECT i, 'K' || i, ['N', 'N', 'N', 'S', 'S', 'E'][i],
  ['Kent', 'York', 'Kent', 'Bath', 'Kent', 'York'][i], [40, 33, 19, 52, 27, 61][i]
  FROM range(1, 7) t(i);
INSERT INTO ops.txn SELECT i, [1, 2, 2, 3, 3, 3, 6][i], [9, 1, 1, 2, 2, 2, 80][i]
  FROM range(1, 8) t(i);
"""

# A year held as a whole number, and a capacity the words "after 2014" must not reach.
VENUES = """
CREATE SCHEMA live;
CREATE TABLE live.stadium (Stadium_ID INTEGER, Name VARCHAR, Capacity INTEGER);
CREATE TABLE live.concert (concert_ID INTEGER, Stadium_ID INTEGER, Year INTEGER);
INSERT INTO live.stadium VALUES (1, 'Park', 10104), (2, 'Field', 11998), (3, 'Dome', 3960);
INSERT INTO live.concert VALUES (1, 3, 2012), (2, 3, 2013), (3, 3, 2013), (4, 1, 2014),
  (5, 2, 2014), (6, 2, 2015), (7, 1, 2016), (8, 2, 2016);
"""


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {name: make_db(tmp_path_factory, sql) for name, sql in
            (("shop", SNAKE), ("kennel", PASCAL), ("ops", TERSE), ("live", VENUES))}


ANSWERED = [
    # "the most common <table>": counted in the one table whose key points at it
    ("shop", "What is the most common category?",
     "SELECT c.name FROM shop.products p JOIN shop.categories c ON p.category_id = c.id "
     "GROUP BY c.id, c.name ORDER BY COUNT(*) DESC LIMIT 1"),
    ("kennel", "What is the rarest breed?",
     "SELECT b.BreedName FROM kennel.Dogs d JOIN kennel.Breeds b ON d.BreedCode = b.BreedCode "
     "GROUP BY b.BreedCode, b.BreedName ORDER BY COUNT(*) ASC LIMIT 1"),
    ("kennel", "Which breed is the most common?",
     "SELECT 'Bulldog'"),
    # a column's most common value
    ("shop", "What is the most common city of customers?",
     "SELECT city FROM shop.customers GROUP BY city ORDER BY COUNT(*) DESC LIMIT 1"),
    ("ops", "What is the most common hometown of customers?", "SELECT 'Kent'"),
    # "most <verb>ed X": the rows the verb names, counted per value
    ("shop", "What is the most prescribed medication?",
     "SELECT medication FROM shop.prescriptions GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1"),
    # the columns asked for are the ranked group's, through the join
    ("shop", "What is the name of the category with the most products?", "SELECT 'Books'"),
    ("kennel", "What is the last name of the owner with the most dogs?", "SELECT 'Cole'"),
    ("kennel", "Which owner has the most treatments? List the owner id and last name.",
     "SELECT 3, 'Cole'"),
    ("kennel", "Which owner has paid for the most treatments on his or her dogs?",
     "SELECT 'Cat'"),
    # money: the sum of the one money column, two joins away
    ("kennel", "Which owner spent the most on treatments?", "SELECT 'Ann'"),
    ("kennel", "Tell me the owner id and last name of the owner who spent the most on "
     "treatments of his or her dogs.", "SELECT 1, 'Abel'"),
    ("shop", "Which customer spent the most money on orders?", "SELECT 'Cy'"),
    ("ops", "Which customer spent the least on transactions?", "SELECT 'K2'"),
    # "the most recent": by the date, whatever other number is asked for
    ("shop", "What is the amount of the most recent order?",
     "SELECT amount FROM shop.orders ORDER BY placed_on DESC LIMIT 1"),
    # the superlative is about the table it names, not the rows shown ("the owner of the
    # oldest dog": the dog's age, though owners have ages too)
    ("kennel", "Which owner has the oldest dog?", "SELECT 'Cole'"),
    ("kennel", "What is the breed name of the oldest dog?", "SELECT 'Bulldog'"),
    # "where" is the one place column of the row the superlative picks
    ("shop", "Where is the youngest customer from?", "SELECT 'Rome'"),
    ("kennel", "Where is the youngest owner from?", "SELECT 'Rome'"),
    # a count of related rows through a text code key
    ("ops", "Which regions have more than 2 customers?", "SELECT 'North'"),
    # the rows a count condition keeps, listed by the columns a second sentence asks for
    ("shop", "Which customers have at least 2 orders? List their names and cities.",
     "SELECT name, city FROM shop.customers WHERE id IN (SELECT customer_id FROM shop.orders "
     "GROUP BY 1 HAVING COUNT(*) >= 2)"),
    # a count condition two joins away: treatments counted per owner (HAVING)
    ("kennel", "Which owners have more than 2 treatments?", "SELECT 'Cat'"),
    # "2014 or after", "after or in 2014": a bound on the year, the groups' rows counted
    ("live", "Show the stadium name and capacity with the most number of concerts in year "
     "2014 or after.", "SELECT 'Field', 11998"),
    ("live", "What is the name and capacity of the stadium with the most concerts after or in "
     "2014?", "SELECT 'Field', 11998"),
    ("live", "How many concerts were there in 2013 or earlier?", "SELECT 3"),
    # "N or more <the subject's rows>": one bound on each group's count, not alternatives
    ("shop", "Which cities have 2 or more customers?",
     "SELECT city FROM shop.customers GROUP BY city HAVING COUNT(*) >= 2"),
    # the subject's own rows ranked by their own column
    ("shop", "What is the name of the customer with the highest age?", "SELECT 'Cy'"),
    ("ops", "What are the names of the top 3 customers by age?",
     "SELECT nm FROM ops.cust ORDER BY age DESC LIMIT 3"),
]


@pytest.mark.parametrize(("db", "question", "query"), ANSWERED)
def test_rankings_match_a_hand_written_query(dbs: dict[str, Path], db: str, question: str,
                                             query: str) -> None:
    answer = ask_db(dbs[db], question)

    assert answer.answered, answer.answer
    want = gold(dbs[db], query)
    assert want and len(answer.rows) == len(want), answer.sql
    for column in zip(*want, strict=True):  # every wanted column is among those shown
        assert any(list(column) == list(got) for got in zip(*answer.rows, strict=True)), (
            answer.sql, answer.rows)


@pytest.mark.parametrize(("db", "question", "reason"), [
    # two tables point at customers: counted in orders or in prescriptions?
    ("shop", "Who is the most common customer?", "orders or prescriptions"),
    # nothing points at the rows counted
    ("shop", "What is the rarest order?", "no table"),
    # a text column cannot be ranked by its value
    ("shop", "Which customer has the most city?", "text"),
    # customers hold no money of their own: a count would answer another question
    ("shop", "Which customer paid the most?", "money"),
    # two columns of money in the rows ranked: which one is not said
    ("kennel", "Which owner spent the most on dogs?", "money"),
    # customers with no orders have the fewest: a count through the join leaves them out
    ("shop", "Which customer has the fewest orders?", "no orders"),
    # 'Paid' is a status too: filtering on it and adding up money would be a guess
    ("shop", "Which customer paid the most for orders?", "money paid"),
    # two columns say a place (its region, its hometown): which one is not said
    ("ops", "Where is the oldest customer from?", "where"),
    # groups with no treatments have no rows to count through the joins
    ("kennel", "Which owners have fewer than 2 treatments?", "which column"),
    # "at most 2": whether customers with none are meant is not said
    ("shop", "Which customers have at most 2 orders? List their names and cities.", "count"),
])
def test_rankings_it_cannot_read_are_declined(dbs: dict[str, Path], db: str, question: str,
                                              reason: str) -> None:
    answer = ask_db(dbs[db], question)

    assert not answer.answered, answer.sql
    assert reason in answer.answer


def test_the_most_common_table_counts_the_rows_pointing_at_it(dbs: dict[str, Path]) -> None:
    cat = catalog_of(dbs["kennel"], "kennel")

    plan = understand("What are the 2 most common breeds?", cat).plan

    assert plan is not None and plan.subject.name == "Dogs"
    (group,) = plan.groups
    assert group.entity is not None and group.entity.target.name == "Breeds"
    assert [m.func for m in plan.measures] == ["COUNT"]
    assert (plan.desc, plan.limit) == (True, 2)


def test_a_row_ranked_by_its_own_column_is_not_a_group(dbs: dict[str, Path]) -> None:
    cat = catalog_of(dbs["shop"], "shop")

    plan = understand("What are the names of the top 3 customers by age?", cat).plan

    assert plan is not None and not plan.groups and not plan.measures
    assert [c.name for c in plan.rows] == ["name", "age"]
    assert plan.order_column is not None and plan.order_column.name == "age"
    assert (plan.desc, plan.limit) == (True, 3)


def test_the_answer_says_whose_value_ranks(dbs: dict[str, Path]) -> None:
    answer = ask_db(dbs["kennel"], "Which owner has the oldest dog?")

    assert answer.answered and "dog age" in answer.answer, answer.answer


def test_money_is_summed_never_counted(dbs: dict[str, Path]) -> None:
    cat = catalog_of(dbs["kennel"], "kennel")

    spent = understand("Which owner spent the most on treatments?", cat).plan
    paid_for = understand("Which owner paid for the most treatments?", cat).plan

    assert spent is not None and paid_for is not None
    assert [(m.func, m.column.name if m.column else None) for m in spent.measures] == [
        ("SUM", "CostOfTreatment")]
    assert [m.func for m in paid_for.measures] == ["COUNT"]
