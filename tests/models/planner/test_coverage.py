"""Ordinary questions the planner reads in full: columns joined by "and", "different"
values with a count each, one row per "each <thing>", inflected verbs, misspelt query
words, names written as one word or two, a column whose name holds a cue word, and
what the dataset calls a table's rows inside a noun phrase. Each over schemas of our
own in more than one naming style, with the declines that must stay declines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nl2sql.models.planner.audit import audit
from nl2sql.models.planner.resolve import understand
from nl2sql.models.planner.spelling import correct
from nl2sql.models.planner.sqlbuild import to_sql
from tests.models.planner.catalogs import catalog_of
from tests.models.planner.conftest import ask_db, gold, make_db

# the same club in two naming styles; countries have distinct sizes (no ties at the top)
SNAKE_SQL = """
CREATE SCHEMA club;
CREATE TABLE club.members (member_id BIGINT, name VARCHAR, age INTEGER, home_town VARCHAR,
                           city VARCHAR, country VARCHAR, weekly_rank INTEGER);
INSERT INTO club.members SELECT i, 'M' || i, 20 + i, ['Ayr', 'Bray', 'Cobh'][1 + i % 3],
  ['Oslo', 'Lima', 'Pune', 'Rome'][1 + i % 4], CASE WHEN i <= 6 THEN 'Peru' WHEN i <= 9
  THEN 'Chad' ELSE 'Fiji' END, 100 - i FROM range(1, 12) t(i);
"""
PASCAL_SQL = """
CREATE SCHEMA Club;
CREATE TABLE Club.Member (MemberID BIGINT, Name VARCHAR, Age INTEGER, Hometown VARCHAR,
                          City VARCHAR, Country VARCHAR, WeeklyRank INTEGER);
INSERT INTO Club.Member SELECT i, 'M' || i, 20 + i, ['Ayr', 'Bray', 'Cobh'][1 + i % 3],
  ['Oslo', 'Lima', 'Pune', 'Rome'][1 + i % 4], CASE WHEN i <= 6 THEN 'Peru' WHEN i <= 9
  THEN 'Chad' ELSE 'Fiji' END, 100 - i FROM range(1, 12) t(i);
"""
# terse names: the abbreviations are all the planner has
TERSE_SQL = """
CREATE SCHEMA tv;
CREATE TABLE tv.channel (id BIGINT, nm VARCHAR, lang VARCHAR, ctry VARCHAR);
INSERT INTO tv.channel SELECT i, 'C' || i, CASE WHEN i <= 5 THEN 'Tamil' WHEN i <= 8
  THEN 'Dutch' ELSE 'Greek' END, ['Laos', 'Mali'][1 + i % 2] FROM range(1, 11) t(i);
"""
STYLES = {"snake": (SNAKE_SQL, "club.members", "home_town"),
          "pascal": (PASCAL_SQL, "Club.Member", "Hometown")}


@pytest.fixture(scope="module", params=sorted(STYLES))
def club(request: pytest.FixtureRequest,
         tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    sql, table, hometown = STYLES[request.param]
    return make_db(tmp_path_factory, sql), table, hometown


@pytest.fixture(scope="module")
def terse_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, TERSE_SQL)


def _text(v: object) -> object:
    return v.isoformat() if hasattr(v, "isoformat") else v


def _same(db: Path, question: str, query: str, ordered: bool = False) -> None:
    """Answered, and every column of the expected result is a column of the answer (as
    the project's scorer counts it), in order where ``ordered``."""
    answer = ask_db(db, question)
    assert answer.answered, answer.answer
    expected = [[_text(v) for v in r] for r in gold(db, query)]
    got = [[_text(v) for v in r] for r in answer.rows]
    assert len(got) == len(expected), answer.sql

    def cols(rows: list[list[object]]) -> list[list[object]]:
        out = [list(c) for c in zip(*rows, strict=True)] if rows else []
        return out if ordered else [sorted(c, key=str) for c in out]

    assert all(c in cols(got) for c in cols(expected)), answer.sql


@pytest.mark.parametrize("question", [
    "What are the age and hometown of members?",  # one word where the name has two
    "What is the age and home town of every member?",  # two words; one row per member
])
def test_columns_joined_by_and_are_listed_together(club: tuple[Path, str, str],
                                                   question: str) -> None:
    db, table, hometown = club
    answer = ask_db(db, question)

    assert answer.answered, answer.answer
    assert sorted(answer.rows, key=str) == sorted(
        gold(db, f"SELECT age, {hometown} FROM {table}"), key=str), answer.sql


def test_counts_of_different_columns_joined_by_and(club: tuple[Path, str, str],
                                                    terse_db: Path) -> None:
    db, table, _ = club
    _same(db, "How many different cities and countries are there in the members table?",
          f"SELECT COUNT(DISTINCT city), COUNT(DISTINCT country) FROM {table}")
    _same(terse_db, "How many different languages and countries are there?",
          "SELECT COUNT(DISTINCT lang), COUNT(DISTINCT ctry) FROM tv.channel")


def test_different_values_with_a_count_each(club: tuple[Path, str, str]) -> None:
    db, table, _ = club
    _same(db, "Show different countries of members and the number of members from each "
              "country.", f"SELECT country, COUNT(*) FROM {table} GROUP BY 1")


def test_an_inflected_light_verb_adds_no_condition(club: tuple[Path, str, str],
                                                   terse_db: Path) -> None:
    db, table, _ = club
    _same(db, "List each country and the number of members living in it.",
          f"SELECT country, COUNT(*) FROM {table} GROUP BY 1")
    _same(terse_db, "List each language and the number of channels using it.",
          "SELECT lang, COUNT(*) FROM tv.channel GROUP BY 1")
    _same(terse_db, "How many channels correspond to each language?",
          "SELECT lang, COUNT(*) FROM tv.channel GROUP BY 1")


def test_misspelt_query_words_are_read_as_the_lexicon_word(club: tuple[Path, str, str],
                                                           terse_db: Path) -> None:
    db, table, _ = club
    answer = ask_db(db, "What is the most commmon country of members?")
    assert answer.answered, answer.answer
    assert [r[0] for r in answer.rows] == ["Peru"]
    assert answer.interpretation is not None
    assert "read 'commmon' as 'common'" in answer.interpretation.rules
    _same(db, "List the names of members in alphaetical order.",
          f"SELECT name FROM {table} ORDER BY name", ordered=True)
    terse = ask_db(terse_db, "What is the most commmon langauge of channels?")
    assert terse.answered, terse.answer
    assert [r[0] for r in terse.rows] == ["Tamil"], terse.sql


def test_a_column_whose_name_holds_a_cue_word(club: tuple[Path, str, str]) -> None:
    db, table, _ = club
    rank = "weekly_rank" if table.islower() else "WeeklyRank"
    _same(db, "What is the weekly rank of the member named 'M3'?",
          f"SELECT {rank} FROM {table} WHERE name = 'M3'")


SHOP_SQL = """
CREATE SCHEMA shop;
CREATE TABLE shop.accounts (id BIGINT, name VARCHAR, country VARCHAR, source VARCHAR);
CREATE TABLE shop.sales (id BIGINT, account_id BIGINT, amount DOUBLE);
INSERT INTO shop.accounts SELECT i, 'A' || i, ['Peru', 'Chad'][1 + i % 2],
  ['Ads', 'Mail', 'Web'][1 + i % 3] FROM range(1, 13) t(i);
INSERT INTO shop.sales SELECT i, 1 + i % 12, i * 2.5 FROM range(1, 61) t(i);
"""
SHOP_PASCAL_SQL = """
CREATE SCHEMA Shop;
CREATE TABLE Shop.Account (AccountId BIGINT, Name VARCHAR, Country VARCHAR,
                           TrafficSource VARCHAR);
CREATE TABLE Shop.Sale (SaleId BIGINT, AccountId BIGINT, Amount DOUBLE);
INSERT INTO Shop.Account SELECT i, 'A' || i, ['Peru', 'Chad'][1 + i % 2],
  ['Ads', 'Mail', 'Web'][1 + i % 3] FROM range(1, 13) t(i);
INSERT INTO Shop.Sale SELECT i, 1 + i % 12, i * 2.5 FROM range(1, 61) t(i);
"""


@pytest.mark.parametrize(("sql", "dataset", "accounts", "question", "query"), [
    (SHOP_SQL, "shop", "shop.accounts", "total amount of sales by client country",
     "SELECT a.country, SUM(s.amount) FROM shop.sales s JOIN shop.accounts a "
     "ON s.account_id = a.id GROUP BY 1"),
    (SHOP_PASCAL_SQL, "Shop", "Shop.Account", "average amount of sales by the client's "
     "traffic source", "SELECT a.TrafficSource, AVG(s.Amount) FROM Shop.Sale s JOIN "
     "Shop.Account a ON s.AccountId = a.AccountId GROUP BY 1"),
])
def test_what_the_dataset_calls_rows_qualifies_a_column(
        tmp_path_factory: pytest.TempPathFactory, sql: str, dataset: str, accounts: str,
        question: str, query: str) -> None:
    db = make_db(tmp_path_factory, sql)
    extra: dict[str, Any] = {"entities": [{"table": accounts, "synonyms": ["clients"]}]}
    cat = catalog_of(db, dataset, extra)
    u = understand(question, cat)

    assert u.plan is not None and u.parsed is not None, u.problem
    assert audit(u.parsed.toks, u.parsed, u.readings, u.plan, cat).ok
    sql_text = to_sql(u.plan).replace("`", '"')
    assert sorted(gold(db, sql_text), key=str) == sorted(gold(db, query), key=str), sql_text
    # without the definition "client" names nothing: declined, not dropped
    bare = catalog_of(db, dataset)
    plain = understand(question, bare)
    assert plain.plan is None or plain.parsed is None or not audit(
        plain.parsed.toks, plain.parsed, plain.readings, plain.plan, bare).ok


@pytest.mark.parametrize("question", [
    "top 3 US countries by number of members",  # an abbreviation is a value, not "us"
    "How many members are in the UK?",
    "What are the age and favourite colour of members?",  # joined, but unknown
    "How many different cities and favourite colours are there?",
    "What is the most comon hobby of members?",  # mended, and still no hobby column
])
def test_must_stay_declined(club: tuple[Path, str, str], question: str) -> None:
    answer = ask_db(club[0], question)

    assert not answer.answered, (answer.sql, answer.answer)
    assert answer.sql is None


def test_a_different_ending_is_another_word_not_a_typo(tmp_path_factory:
                                                       pytest.TempPathFactory) -> None:
    db = make_db(tmp_path_factory, "CREATE SCHEMA s; CREATE TABLE s.pets (id BIGINT, age INT);")
    cat = catalog_of(db, "s")

    assert correct("How many pets per county, sorted by ages?", cat) == (
        "How many pets per county, sorted by ages?", [])
    assert correct("pets in desending order of age", cat)[1] == [("desending", "descending")]


def test_a_number_after_a_numeric_column_is_its_value(club: tuple[Path, str, str],
                                                      terse_db: Path) -> None:
    db, table, _ = club
    rank = "weekly_rank" if table.islower() else "WeeklyRank"
    _same(db, "Show the names of all members in weekly rank 95.",
          f"SELECT name FROM {table} WHERE {rank} = 95")
    _same(db, "How many members are there with age 25 or 26?",
          f"SELECT COUNT(*) FROM {table} WHERE age IN (25, 26)")
    for question in ("How many members are there with age 25 and 26?",  # no row has both
                     "How many members below age 25 are there?"):  # a comparison, not = 25
        answer = ask_db(db, question)
        assert not answer.answered, (question, answer.sql)


def test_return_and_display_ask_for_rows(club: tuple[Path, str, str]) -> None:
    db, table, _ = club
    _same(db, "Return the age for the member named M4.",
          f"SELECT age FROM {table} WHERE name = 'M4'")
    _same(db, "Display the names of members from Chad.",
          f"SELECT name FROM {table} WHERE country = 'Chad'")


def test_ids_are_the_key_and_counting_rows_per_key_is_declined(
        club: tuple[Path, str, str]) -> None:
    db, table, _ = club
    key = "member_id" if table.islower() else "MemberID"
    _same(db, "What are the ids of all members?", f"SELECT {key} FROM {table}")
    answer = ask_db(db, "What are the ids of all members that have more than 2 members?")
    assert not answer.answered, answer.sql


STAFF = {
    "snake": """
CREATE SCHEMA staff;
CREATE TABLE staff.vets (vet_id BIGINT, first_name VARCHAR, email_address VARCHAR,
                         zip_code VARCHAR, date_joined TIMESTAMP, date_departed TIMESTAMP);
CREATE TABLE staff.films (film_id BIGINT, title VARCHAR, directed_by VARCHAR);
CREATE TABLE staff.albums (album_id BIGINT, title VARCHAR, label VARCHAR);
INSERT INTO staff.vets SELECT i, 'V' || i, 'v' || i || '@x.org', '0' || i,
  TIMESTAMP '2020-01-01' + INTERVAL (i) DAY, TIMESTAMP '2024-01-01' + INTERVAL (i) DAY
  FROM range(1, 6) t(i);
INSERT INTO staff.films SELECT i, 'S' || i, ['Kim Lee', 'Ada Ho'][1 + i % 2] FROM range(1, 9) t(i);
INSERT INTO staff.albums SELECT i, 'A' || i, 'L' || i FROM range(1, 4) t(i);
""",
    "pascal": """
CREATE SCHEMA Staff;
CREATE TABLE Staff.Vet (VetId BIGINT, FirstName VARCHAR, EmailAddress VARCHAR,
                        ZipCode VARCHAR, DateJoined TIMESTAMP, DateDeparted TIMESTAMP);
CREATE TABLE Staff.Film (FilmId BIGINT, Title VARCHAR, DirectedBy VARCHAR);
CREATE TABLE Staff.Album (AlbumId BIGINT, Title VARCHAR, Label VARCHAR);
INSERT INTO Staff.Vet SELECT i, 'V' || i, 'v' || i || '@x.org', '0' || i,
  TIMESTAMP '2020-01-01' + INTERVAL (i) DAY, TIMESTAMP '2024-01-01' + INTERVAL (i) DAY
  FROM range(1, 6) t(i);
INSERT INTO Staff.Film SELECT i, 'S' || i, ['Kim Lee', 'Ada Ho'][1 + i % 2] FROM range(1, 9) t(i);
INSERT INTO Staff.Album SELECT i, 'A' || i, 'L' || i FROM range(1, 4) t(i);
"""}


@pytest.fixture(scope="module", params=sorted(STAFF))
def staff(request: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    snake = request.param == "snake"
    names = {"vets": "staff.vets" if snake else "Staff.Vet",
             "films": "staff.films" if snake else "Staff.Film",
             "email": "email_address" if snake else "EmailAddress",
             "zip": "zip_code" if snake else "ZipCode",
             "joined": "date_joined" if snake else "DateJoined",
             "departed": "date_departed" if snake else "DateDeparted",
             "first": "first_name" if snake else "FirstName",
             "directed": "directed_by" if snake else "DirectedBy"}
    return make_db(tmp_path_factory, STAFF[request.param]), names


def test_a_column_said_without_how_it_is_written_down(staff: tuple[Path, dict[str, str]]) -> None:
    db, n = staff
    _same(db, "List the emails of all vets.", f"SELECT {n['email']} FROM {n['vets']}")
    _same(db, "List the first name and zip of every vet.",
          f"SELECT {n['first']}, {n['zip']} FROM {n['vets']}")


def test_a_column_said_in_another_order_and_verb_form(staff: tuple[Path, dict[str, str]]) -> None:
    db, n = staff
    _same(db, "What are the joining date and the departing date of all the vets?",
          f"SELECT {n['joined']}, {n['departed']} FROM {n['vets']}")


def test_names_of_things_that_have_titles(staff: tuple[Path, dict[str, str]]) -> None:
    db, n = staff
    _same(db, "What are the names of all films directed by Kim Lee?",
          f"SELECT title FROM {n['films']} WHERE {n['directed']} = 'Kim Lee'")
    # the rows asked for, not the one director they were filtered on
    _same(db, 'List all film directed by "Kim Lee".',
          f"SELECT title FROM {n['films']} WHERE {n['directed']} = 'Kim Lee'")


@pytest.mark.parametrize("question", [
    "What are the names of all albums?",  # a title and a label: which one is its name?
    "What are the leaving dates of all vets?",  # 'left' is not 'departed'
    "List the phones of all vets.",
    "vets per month, by the date they departed",  # which date, not a second bucket
])
def test_unnamed_columns_stay_declined(staff: tuple[Path, dict[str, str]], question: str) -> None:
    answer = ask_db(staff[0], question)

    assert not answer.answered, (answer.sql, answer.answer)


def test_columns_asked_of_the_row_a_superlative_picks(club: tuple[Path, str, str]) -> None:
    db, table, hometown = club
    answer = ask_db(db, "What is the hometown of the youngest member?")
    assert answer.answered, answer.answer
    assert gold(db, f"SELECT {hometown} FROM {table} ORDER BY age LIMIT 1")[0][0] in (
        answer.rows[0]), answer.sql
    assert len(answer.rows) == 1
    answer = ask_db(db, "What is the age of the oldest member?")
    assert answer.answered and len(answer.rows) == 1, answer.answer
    assert 31 in answer.rows[0], answer.sql


@pytest.mark.parametrize(("sql", "column"), [
    ("CREATE SCHEMA s; CREATE TABLE s.people (id BIGINT, name VARCHAR, "
     "net_worth_millions DOUBLE);", "net_worth_millions"),
    ("CREATE SCHEMA s; CREATE TABLE s.Person (PersonId BIGINT, Name VARCHAR, "
     "NetWorthMillions DOUBLE);", "NetWorthMillions"),
])
def test_a_unit_ending_a_column_name_is_not_said(tmp_path_factory: pytest.TempPathFactory,
                                                 sql: str, column: str) -> None:
    table = "s.people" if "people" in sql else "s.Person"
    db = make_db(tmp_path_factory, sql + f" INSERT INTO {table} SELECT i, 'P' || i, 10.0 - i "
                                          "FROM range(1, 6) t(i);")
    _same(db, "List the names of people in ascending order of net worth.",
          f"SELECT name FROM {table} ORDER BY {column}", ordered=True)


def test_the_greatest_number_of_is_the_most(terse_db: Path) -> None:
    for question in ("Which language has the greatest number of channels?",
                     "Return the language that has the most number of channels."):
        answer = ask_db(terse_db, question)
        assert answer.answered, answer.answer
        assert [r[0] for r in answer.rows] == ["Tamil"], answer.sql
    answer = ask_db(terse_db, "Which language has the least number of channels?")
    assert [r[0] for r in answer.rows] == ["Greek"], answer.sql


@pytest.mark.parametrize("sql", [SHOP_SQL, SHOP_PASCAL_SQL])
def test_columns_asked_of_a_named_table_are_its_own(tmp_path_factory: pytest.TempPathFactory,
                                                    sql: str) -> None:
    db = make_db(tmp_path_factory, sql)
    # sales have no name: the account's name is not "the name of the sale"
    answer = ask_db(db, "What is the name of the sale with the largest amount?")
    assert not answer.answered, answer.sql
    answered = ask_db(db, "What are the names of accounts from Peru?")
    assert answered.answered and len(answered.rows) == 6, answered.answer
