"""Terse names (a naming standard's shortenings: ``dstnc_km``, ``vhcl``, ``n_seat``) are
read against the question's own words; every reading is shown in the interpretation,
and a question word two names could shorten is declined, not guessed."""

from __future__ import annotations

from pathlib import Path

import pytest

from nl2sql.models.planner.abbrev import fit, one_to_one
from tests.models.planner.conftest import ask_db, assert_answers_like, make_db

# A fleet warehouse named the terse way, no comments: the names are all the planner has
FLEET_SQL = """
CREATE SCHEMA fleet;
CREATE TABLE fleet.vhcl (vhcl_id INTEGER, mdl_nm VARCHAR, fuel_typ VARCHAR,
  prch_px DECIMAL(10,2), n_seat INTEGER);
CREATE TABLE fleet.trp (trp_id INTEGER, vhcl_id INTEGER, trp_dt DATE,
  dstnc_km DECIMAL(8,1), toll_amt DECIMAL(8,2));
CREATE TABLE fleet.depot (depot_id INTEGER, cty_nm VARCHAR, cnty_nm VARCHAR);
CREATE TABLE fleet.mt_log (log_id INTEGER, vhcl_id INTEGER, mt_cost_amt DECIMAL(8,2));
INSERT INTO fleet.vhcl SELECT i, ['Vito', 'Transit', 'Sprinter'][1 + i % 3],
  ['diesel', 'electric'][1 + i % 2], 20000 + 1500 * i, 2 + i % 4 FROM range(1, 13) t(i);
INSERT INTO fleet.trp SELECT i, 1 + i % 12, DATE '2024-01-01' + CAST(i * 5 AS INTEGER),
  10 + 3.5 * (i % 9), (i % 4) * 2.5 FROM range(1, 61) t(i);
INSERT INTO fleet.mt_log SELECT i, 1 + i % 12, 100 + 7.5 * i FROM range(1, 25) t(i);
INSERT INTO fleet.depot SELECT i, ['Leeds', 'York'][1 + i % 2],
  ['West Yorkshire', 'North Yorkshire'][1 + i % 2] FROM range(1, 7) t(i);
"""


@pytest.fixture(scope="module")
def fleet_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, FLEET_SQL)


def test_a_name_without_its_vowels_is_read_as_the_word_said(fleet_db: Path) -> None:
    question = "What is the total distance of all trips?"
    assert_answers_like(fleet_db, question, "SELECT SUM(dstnc_km) FROM fleet.trp")

    answer = ask_db(fleet_db, question)
    assert answer.interpretation is not None
    assert "read 'dstnc' as 'distance'" in answer.interpretation.rules
    assert "read 'trp' as 'trips'" in answer.interpretation.rules


def test_shortenings_join_tables_and_combine_with_general_abbreviations(fleet_db: Path) -> None:
    # trp.vhcl_id joins vhcl; prch read as "purchase" and px (a general one) as price
    question = "total distance by vehicle fuel type"
    assert_answers_like(fleet_db, question,
                        "SELECT v.fuel_typ, SUM(t.dstnc_km) FROM fleet.trp t "
                        "JOIN fleet.vhcl v ON t.vhcl_id = v.vhcl_id GROUP BY 1")
    assert_answers_like(fleet_db, "average purchase price of vehicles by fuel type",
                        "SELECT fuel_typ, AVG(prch_px) FROM fleet.vhcl GROUP BY 1")

    answer = ask_db(fleet_db, question)
    assert answer.interpretation is not None
    assert "read 'vhcl' as 'vehicle'" in answer.interpretation.rules


def test_two_letters_are_read_only_before_a_word_read_so(fleet_db: Path) -> None:
    # mt alone could be many words; before 'cost', said after "maintenance", it is one
    question = "What is the total maintenance cost?"
    assert_answers_like(fleet_db, question, "SELECT SUM(mt_cost_amt) FROM fleet.mt_log")

    answer = ask_db(fleet_db, question)
    assert answer.interpretation is not None
    assert "read 'mt' as 'maintenance'" in answer.interpretation.rules


def test_a_leading_n_is_read_as_number(fleet_db: Path) -> None:
    assert_answers_like(fleet_db, "What is the average number of seats of vehicles?",
                        "SELECT AVG(n_seat) FROM fleet.vhcl")


def test_a_word_two_names_could_shorten_is_declined(fleet_db: Path) -> None:
    # cty_nm and cnty_nm both shorten "county": reading either would be a guess;
    # only cty_nm shortens "city"
    answer = ask_db(fleet_db, "How many depots are there per county?")

    assert not answer.answered, answer.sql
    assert "county" in answer.answer
    assert_answers_like(fleet_db, "How many depots are there per city?",
                        "SELECT cty_nm, COUNT(*) FROM fleet.depot GROUP BY 1")



# Two dates on one table: which one a year filters is said by the verb
STAFF_SQL = """
CREATE SCHEMA crew;
CREATE TABLE crew.staff (staff_id INTEGER, full_nm VARCHAR, birth_dt DATE, hire_dt DATE);
INSERT INTO crew.staff SELECT i, 'P' || i, DATE '1970-01-01' + CAST(i * 400 AS INTEGER),
  DATE '2015-01-01' + CAST(i * 90 AS INTEGER) FROM range(1, 41) t(i);
"""


@pytest.fixture(scope="module")
def staff_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, STAFF_SQL)


def test_the_verb_of_an_event_picks_its_date_column(staff_db: Path) -> None:
    # birth_dt comes first: without the verb a year would filter births
    assert_answers_like(staff_db, "How many staff were hired in 2019?",
                        "SELECT COUNT(*) FROM crew.staff WHERE EXTRACT(YEAR FROM hire_dt) = 2019")
    assert_answers_like(staff_db, "How many staff did we hire in 2020?",
                        "SELECT COUNT(*) FROM crew.staff WHERE EXTRACT(YEAR FROM hire_dt) = 2020")


# Two names where one extends the other (insp, inspr), and codes held under a role
# (home_stn_cd) that point at a table whose own name is shortened: snake_case ...
SITE_SQL = """
CREATE SCHEMA qa;
CREATE TABLE qa.inspr (inspr_id INTEGER, inspr_nm VARCHAR, home_stn_cd VARCHAR);
CREATE TABLE qa.stn (stn_cd VARCHAR, stn_nm VARCHAR, rgn VARCHAR);
CREATE TABLE qa.insp (insp_id INTEGER, inspr_id INTEGER, insp_dt DATE, score INTEGER);
INSERT INTO qa.stn VALUES ('N1', 'North Yard', 'North'), ('S1', 'South Yard', 'South'),
  ('E1', 'East Yard', 'East');
INSERT INTO qa.inspr SELECT i, 'Inspector ' || i, ['N1', 'S1', 'N1'][1 + i % 3]
  FROM range(1, 10) t(i);
INSERT INTO qa.insp SELECT i, 1 + (i * i) % 8, DATE '2024-01-01' + CAST(i AS INTEGER),
  50 + i % 40 FROM range(1, 90) t(i);
"""
# ... and capitals, with the name words in another order
UPPER_SQL = """
CREATE SCHEMA ops;
CREATE TABLE ops.TRNR (TRNR_ID INTEGER, TRNR_NM VARCHAR, BASE_DPT_CD VARCHAR);
CREATE TABLE ops.DPT (DPT_CD VARCHAR, DPT_NM VARCHAR);
CREATE TABLE ops.TRN (TRN_ID INTEGER, TRNR_ID INTEGER, TRN_DT DATE, HRS INTEGER);
INSERT INTO ops.DPT VALUES ('A', 'Assembly'), ('P', 'Paint'), ('W', 'Welding');
INSERT INTO ops.TRNR SELECT i, 'Trainer ' || i, ['A', 'P', 'P', 'W'][1 + i % 4]
  FROM range(1, 12) t(i);
INSERT INTO ops.TRN SELECT i, 1 + (i * 7) % 11, DATE '2024-02-01' + CAST(i AS INTEGER),
  1 + i % 6 FROM range(1, 70) t(i);
"""


@pytest.fixture(scope="module")
def site_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SITE_SQL)


@pytest.fixture(scope="module")
def upper_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, UPPER_SQL)


def test_the_name_spelling_a_word_to_its_end_reads_it_over_a_shorter_one(
        site_db: Path, upper_db: Path) -> None:
    # insp and inspr both could shorten "inspector"; inspr spells it to the end, and
    # insp, the start of "inspection", is left for that word
    assert_answers_like(site_db, "Which inspector has done the most inspections?",
                        "SELECT inspr_nm, COUNT(*) FROM qa.insp JOIN qa.inspr USING (inspr_id) "
                        "GROUP BY inspr_id, inspr_nm ORDER BY 2 DESC LIMIT 1")
    assert_answers_like(site_db, "How many inspections are there?",
                        "SELECT COUNT(*) FROM qa.insp")
    assert_answers_like(upper_db, "number of trainings per trainer",
                        "SELECT TRNR_NM, COUNT(*) FROM ops.TRN JOIN ops.TRNR USING (TRNR_ID) "
                        "GROUP BY TRNR_ID, TRNR_NM")

    answer = ask_db(site_db, "Which inspector has done the most inspections?")
    assert answer.interpretation is not None
    assert "read 'inspr' as 'inspector'" in answer.interpretation.rules
    assert "read 'insp' as 'inspections'" in answer.interpretation.rules


def test_a_tie_at_the_best_fit_leaves_both_words_unread_at_every_fit() -> None:
    # cty and cnty spell "county" equally well: neither is read, nor is "county" then
    # given to a name that fits it worse (coun, its start)
    ranked = [(fit(s, q), s, q) for s, q in [("cty", "county"), ("cnty", "county"),
                                             ("cty", "city"), ("coun", "county")]]
    assert fit("cty", "city") == 0 and fit("coun", "county") == 1
    assert one_to_one([(r, s, q) for r, s, q in ranked if q != "city"]) == {}
    assert one_to_one([(0, "obsr", "observer"), (1, "obs", "observer"),
                       (1, "obs", "observation"), (2, "obsr", "observation")]) == {
        "obsr": "observer", "obs": "observation"}


def test_a_key_under_a_role_meets_the_table_its_shortened_name_is_read_as(
        site_db: Path, upper_db: Path) -> None:
    # home_stn_cd holds a stn_cd; once 'stn' is read as "station" both sides say so
    assert_answers_like(site_db, "number of inspectors per station",
                        "SELECT s.stn_nm, COUNT(*) FROM qa.inspr i JOIN qa.stn s "
                        "ON i.home_stn_cd = s.stn_cd GROUP BY s.stn_cd, s.stn_nm")
    assert_answers_like(site_db, "How many inspections per station region?",
                        "SELECT s.rgn, COUNT(*) FROM qa.insp n JOIN qa.inspr i USING (inspr_id) "
                        "JOIN qa.stn s ON i.home_stn_cd = s.stn_cd GROUP BY s.rgn")
    assert_answers_like(upper_db, "total training hours by department",
                        "SELECT d.DPT_NM, SUM(t.HRS) FROM ops.TRN t JOIN ops.TRNR r "
                        "USING (TRNR_ID) JOIN ops.DPT d ON r.BASE_DPT_CD = d.DPT_CD "
                        "GROUP BY d.DPT_CD, d.DPT_NM")


# Short time units after a span word, snake_case and capitals
SPAN_SQL = """
CREATE SCHEMA cc;
CREATE TABLE cc.visit (visit_id INTEGER, rgn VARCHAR, dur_min INTEGER, temp_min INTEGER);
CREATE TABLE cc.CALLS (CALL_ID INTEGER, AGENT_NM VARCHAR, CALL_DUR_SECS INTEGER);
INSERT INTO cc.visit SELECT i, ['North', 'South'][1 + i % 2], 10 + i % 50, i % 9
  FROM range(1, 40) t(i);
INSERT INTO cc.CALLS SELECT i, ['Ann', 'Bo', 'Cy'][1 + i % 3], 30 + 7 * i FROM range(1, 30) t(i);
"""


@pytest.fixture(scope="module")
def span_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, SPAN_SQL)


def test_a_short_time_unit_after_a_span_word_is_the_unit(span_db: Path) -> None:
    assert_answers_like(span_db, "average visit duration by region",
                        "SELECT rgn, AVG(dur_min) FROM cc.visit GROUP BY 1")
    assert_answers_like(span_db, "average visit duration in minutes",
                        "SELECT AVG(dur_min) FROM cc.visit")
    assert_answers_like(span_db, "total call duration in seconds by agent name",
                        "SELECT AGENT_NM, SUM(CALL_DUR_SECS) FROM cc.CALLS GROUP BY 1")
    # another unit than the column's is not answered in the column's
    answer = ask_db(span_db, "average call duration in minutes")
    assert not answer.answered, answer.sql
    assert "minutes" in answer.answer


FILM_SQL = """
CREATE SCHEMA cin;
CREATE TABLE cin.film (film_id INTEGER, title VARCHAR, genre VARCHAR, dur_min INTEGER);
CREATE TABLE cin.MOVIE (MOVIE_ID INTEGER, TITLE VARCHAR, RUNTIME_MINUTES INTEGER);
INSERT INTO cin.film SELECT i, 'F' || i, ['Drama', 'Comedy'][1 + i % 2], 80 + 3 * i
  FROM range(1, 20) t(i);
INSERT INTO cin.MOVIE SELECT i, 'M' || i, 80 + 3 * i FROM range(1, 20) t(i);
"""


def test_from_longest_to_shortest_orders_rows_and_picks_no_single_one(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    # "from longest to shortest" is a direction of order: never the one longest row
    db = make_db(tmp_path_factory, FILM_SQL)
    for question in ["List the title and duration of all drama films, ordered by duration "
                     "from longest to shortest.",
                     "list movie titles and runtimes sorted from shortest to longest"]:
        answer = ask_db(db, question)
        assert not answer.answered or len(answer.rows) > 1, answer.sql
    assert_answers_like(db, "What is the longest film?",
                        "SELECT title, dur_min FROM cin.film ORDER BY dur_min DESC LIMIT 1")
