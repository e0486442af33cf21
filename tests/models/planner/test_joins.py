"""Joins over a graph of keys: declared, described, and named in several styles.

Schemas are ours and carry no comments unless a test is about comments: a bridge
table (Spider's course_arrange shape), PascalCase keys by the same name and by role
(``TailNumber``, ``OriginAirport``), terse codes (``dept_cd``), keys glued in capitals
(``REGIONID``), a key only a column description explains, and a declared key whose
name says nothing. Two equally plausible paths must be declined, naming both.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nl2sql.models.planner import joins as J
from nl2sql.models.planner.catalog import Catalog, Column
from nl2sql.models.planner.features import Unanswerable
from nl2sql.models.planner.resolve import understand
from nl2sql.models.planner.sqlbuild import to_sql
from tests.models.planner.catalogs import catalog_of
from tests.models.planner.conftest import ask_db, gold, make_db

SCHEMAS = {
    "uni": """
CREATE SCHEMA uni;
CREATE TABLE uni.lecturer (Lecturer_ID BIGINT, Name VARCHAR, Age BIGINT);
CREATE TABLE uni.module (Module_ID BIGINT, Title VARCHAR, Credits BIGINT);
CREATE TABLE uni.module_lecturer (Module_ID BIGINT, Lecturer_ID BIGINT, Term VARCHAR);
INSERT INTO uni.lecturer SELECT i, 'L' || i, 30 + i FROM range(1, 9) t(i);
INSERT INTO uni.module SELECT i, ['Algebra', 'Poetry', 'Botany', 'Logic', 'Opera'][i], 5 * i
  FROM range(1, 6) t(i);
INSERT INTO uni.module_lecturer SELECT 1 + i % 5, 1 + (i * 5) % 7, ['Autumn', 'Spring'][1 + i % 2]
  FROM range(0, 14) t(i);
""",
    "air": """
CREATE SCHEMA air;
CREATE TABLE air.Aircraft (TailNumber VARCHAR, Manufacturer VARCHAR, Model VARCHAR,
                           SeatCapacity BIGINT);
CREATE TABLE air.Airports (AirportCode VARCHAR, AirportName VARCHAR, Country VARCHAR);
CREATE TABLE air.Flights (FlightId BIGINT, OriginAirport VARCHAR, DestinationAirport VARCHAR,
                          TailNumber VARCHAR, DistanceKm DOUBLE, FlightYear BIGINT);
INSERT INTO air.Aircraft SELECT 'T' || i, ['Boeing', 'Airbus'][1 + i % 2], 'M' || (i % 3), 100 + i
  FROM range(1, 7) t(i);
INSERT INTO air.Airports VALUES ('AAA', 'Alpha', 'Peru'), ('BBB', 'Bravo', 'Chile'),
  ('CCC', 'Charlie', 'Peru');
INSERT INTO air.Flights SELECT i, ['AAA', 'BBB', 'CCC'][1 + i % 3],
  ['BBB', 'CCC', 'AAA'][1 + (i * 7) % 3], 'T' || (1 + i % 6), 100.0 * i, 2020 + i % 4
  FROM range(1, 61) t(i);
""",
    "retail": """
CREATE SCHEMA retail;
CREATE TABLE retail.REGION (REGIONID BIGINT, REGIONNAME VARCHAR);
CREATE TABLE retail.STORE (STOREID BIGINT, REGIONID BIGINT, CITY VARCHAR);
CREATE TABLE retail.SALE (SALEID BIGINT, STOREID BIGINT, AMOUNT DOUBLE);
INSERT INTO retail.REGION VALUES (1, 'North'), (2, 'South'), (3, 'East');
INSERT INTO retail.STORE SELECT i, 1 + i % 3, 'C' || i FROM range(1, 8) t(i);
INSERT INTO retail.SALE SELECT i, 1 + (i * i) % 7, i * 2.5 FROM range(1, 90) t(i);
""",
    "hr": """
CREATE SCHEMA hr;
CREATE TABLE hr.dept (dept_cd VARCHAR, dept_nm VARCHAR);
CREATE TABLE hr.job (job_cd VARCHAR, job_ttl VARCHAR);
CREATE TABLE hr.emp (emp_id BIGINT, frst_nm VARCHAR, dept_cd VARCHAR, job_cd VARCHAR,
                     ann_sal_amt DOUBLE);
CREATE TABLE hr.pay (pay_id BIGINT, emp_id BIGINT, gross_amt DOUBLE, pay_yr BIGINT);
INSERT INTO hr.dept VALUES ('D1', 'Sales'), ('D2', 'Legal'), ('D3', 'Audit');
INSERT INTO hr.job VALUES ('J1', 'Clerk'), ('J2', 'Chief');
INSERT INTO hr.emp SELECT i, 'E' || i, 'D' || (1 + i % 3), 'J' || (1 + i % 2), 1000.0 * i
  FROM range(1, 13) t(i);
INSERT INTO hr.pay SELECT i, 1 + i % 12, 10.0 * i, 2022 + i % 3 FROM range(1, 100) t(i);
""",
    "ship": """
CREATE SCHEMA ship;
CREATE TABLE ship.depots (pk BIGINT, label VARCHAR);
CREATE TABLE ship.parcels (pk BIGINT, src BIGINT, kg DOUBLE);
COMMENT ON COLUMN ship.parcels.src IS 'depots.pk the parcel left from';
CREATE TABLE ship.owners (pk BIGINT PRIMARY KEY, nm VARCHAR);
CREATE TABLE ship.pets (pk BIGINT, keeper BIGINT REFERENCES ship.owners (pk), nm VARCHAR);
INSERT INTO ship.depots VALUES (1, 'Quay'), (2, 'Dock');
INSERT INTO ship.parcels SELECT i, 1 + i % 2, i * 1.0 FROM range(1, 30) t(i);
INSERT INTO ship.owners SELECT i, 'O' || i FROM range(1, 5) t(i);
INSERT INTO ship.pets SELECT i, 1 + i % 4, 'P' || i FROM range(1, 20) t(i);
""",
    "desk": """
CREATE SCHEMA desk;
CREATE TABLE desk.teams (id BIGINT, name VARCHAR);
CREATE TABLE desk.agents (id BIGINT, team_id BIGINT, name VARCHAR);
CREATE TABLE desk.customers (id BIGINT, team_id BIGINT, name VARCHAR);
CREATE TABLE desk.tickets (id BIGINT, agent_id BIGINT, customer_id BIGINT, priority VARCHAR);
INSERT INTO desk.teams VALUES (1, 'Red'), (2, 'Blue');
INSERT INTO desk.agents SELECT i, 1 + i % 2, 'A' || i FROM range(1, 5) t(i);
INSERT INTO desk.customers SELECT i, 1 + (i // 3) % 2, 'C' || i FROM range(1, 10) t(i);
INSERT INTO desk.tickets SELECT i, 1 + i % 4, 1 + i % 9, ['High', 'Low'][1 + i % 2]
  FROM range(1, 40) t(i);
""",
    "campus": """
CREATE SCHEMA campus;
CREATE TABLE campus.department (dept_id BIGINT, name VARCHAR);
CREATE TABLE campus.course (course_id BIGINT, title VARCHAR, dept_id BIGINT);
CREATE TABLE campus.instructor (instructor_id BIGINT, full_name VARCHAR, dept_id BIGINT);
CREATE TABLE campus.teaching_assignment (course_id BIGINT, instructor_id BIGINT, term VARCHAR);
""",
    "gym": """
CREATE SCHEMA gym;
CREATE TABLE gym.members (id BIGINT, name VARCHAR, age BIGINT, join_year BIGINT);
CREATE TABLE gym.visits (id BIGINT, member_id BIGINT, kind VARCHAR, visit_year BIGINT,
                         minutes BIGINT);
INSERT INTO gym.members SELECT i, 'M' || i, 20 + i, 2018 + i % 6 FROM range(1, 21) t(i);
INSERT INTO gym.visits SELECT i, 1 + (i * 7) % 20, ['Pool', 'Sauna', 'Weights'][1 + i % 3],
  2021 + (i // 3) % 3, 20 + i % 50 FROM range(1, 301) t(i);
""",
}


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {name: make_db(tmp_path_factory, sql) for name, sql in SCHEMAS.items()}


def _edges(cat: Catalog) -> set[tuple[str, str, str, str, str]]:
    return {(e.source.name, e.fk.name, e.target.name, e.key.name, e.kind)
            for e in J.graph(cat)}


@pytest.mark.parametrize(("schema", "expected"), [
    ("uni", {("module_lecturer", "Module_ID", "module", "Module_ID", "name"),
             ("module_lecturer", "Lecturer_ID", "lecturer", "Lecturer_ID", "name")}),
    ("air", {("Flights", "TailNumber", "Aircraft", "TailNumber", "same"),
             ("Flights", "OriginAirport", "Airports", "AirportCode", "role"),
             ("Flights", "DestinationAirport", "Airports", "AirportCode", "role")}),
    ("retail", {("SALE", "STOREID", "STORE", "STOREID", "name"),
                ("STORE", "REGIONID", "REGION", "REGIONID", "name")}),
    ("hr", {("emp", "dept_cd", "dept", "dept_cd", "name"),
            ("emp", "job_cd", "job", "job_cd", "name"),
            ("pay", "emp_id", "emp", "emp_id", "name")}),
    ("ship", {("parcels", "src", "depots", "pk", "described"),
              ("pets", "keeper", "owners", "pk", "declared")}),
])
def test_keys_in_each_naming_style_make_the_graph(dbs: dict[str, Path], schema: str,
                                                  expected: set[tuple[str, ...]]) -> None:
    # exactly these: a bridge table's keys are not its own, and no name-alike is a key
    assert _edges(catalog_of(dbs[schema], schema)) == expected


def test_shortest_paths_cross_bridge_tables_and_decline_a_tie(dbs: dict[str, Path]) -> None:
    cat = catalog_of(dbs["uni"], "uni")
    lecturer, module = cat.table("uni.lecturer"), cat.table("uni.module")
    assert lecturer is not None and module is not None
    path = J.route(cat, lecturer, module)
    assert [(j.source.name, j.target.name, j.many) for j in path] == [
        ("lecturer", "module_lecturer", True), ("module_lecturer", "module", False)]

    desk = catalog_of(dbs["desk"], "desk")
    tickets, teams = desk.table("desk.tickets"), desk.table("desk.teams")
    assert tickets is not None and teams is not None
    with pytest.raises(Unanswerable, match="more than one way") as e:
        J.route(desk, tickets, teams)
    assert "agents (agent_id)" in str(e.value) and "customers (customer_id)" in str(e.value)
    # the question naming the table on one path settles it
    assert [j.target.name for j in J.route(desk, tickets, teams, named={"desk.agents"})] == [
        "agents", "teams"]


def test_a_bridge_table_relates_rows_more_directly_than_a_shared_parent(
        dbs: dict[str, Path]) -> None:
    # course -> department <- instructor means "in the same department"; the
    # teaching_assignment rows say which instructor teaches which course
    cat = catalog_of(dbs["campus"], "campus")
    course, instructor = cat.table("campus.course"), cat.table("campus.instructor")
    assert course is not None and instructor is not None
    assert [j.target.name for j in J.route(cat, course, instructor)] == [
        "teaching_assignment", "instructor"]
    assert [j.target.name for j in J.route(cat, course, instructor, named={
        "campus.department"})] == ["department", "instructor"]


def test_the_interpretation_names_each_join_step(dbs: dict[str, Path]) -> None:
    cat = catalog_of(dbs["retail"], "retail")
    u = understand("Total amount of sales by region", cat)
    assert u.plan is not None, u.problem
    assert [(j.source.name, j.fk.name, j.target.name) for j in u.plan.joins] == [
        ("SALE", "STOREID", "STORE"), ("STORE", "REGIONID", "REGION")]
    sql = to_sql(u.plan)
    assert gold(dbs["retail"], sql) == gold(dbs["retail"], (
        "SELECT r.REGIONNAME, SUM(s.AMOUNT) AS t FROM retail.SALE s JOIN retail.STORE st "
        "ON s.STOREID = st.STOREID JOIN retail.REGION r ON st.REGIONID = r.REGIONID "
        "GROUP BY r.REGIONID, r.REGIONNAME ORDER BY t DESC, 1"))


@pytest.mark.parametrize(("schema", "question", "query"), [
    ("uni", "How many lecturers per module?",  # through the bridge, each lecturer once
     "SELECT m.Title, COUNT(DISTINCT ml.Lecturer_ID) FROM uni.module m "
     "JOIN uni.module_lecturer ml USING (Module_ID) GROUP BY m.Module_ID, m.Title"),
    ("uni", "How many lecturers does the Logic module have?",
     "SELECT COUNT(DISTINCT Lecturer_ID) FROM uni.module_lecturer ml JOIN uni.module m "
     "USING (Module_ID) WHERE m.Title = 'Logic'"),
    ("air", "Number of flights by aircraft manufacturer in 2022",  # a year column, joined
     "SELECT a.Manufacturer, COUNT(*) FROM air.Flights f JOIN air.Aircraft a "
     "USING (TailNumber) WHERE f.FlightYear = 2022 GROUP BY 1"),
    ("air", "Average distance of flights per origin airport",  # the role the question names
     "SELECT a.AirportName, AVG(f.DistanceKm) FROM air.Flights f JOIN air.Airports a "
     "ON f.OriginAirport = a.AirportCode GROUP BY a.AirportCode, a.AirportName"),
    ("hr", "Total gross amount of pay by job in 2023",  # two hops over terse codes
     # no column reads as a name (ttl is not said): the code is shown beside the title
     "SELECT j.job_cd, j.job_ttl, SUM(p.gross_amt) FROM hr.pay p JOIN hr.emp e USING (emp_id) "
     "JOIN hr.job j ON e.job_cd = j.job_cd WHERE p.pay_yr = 2023 GROUP BY j.job_cd, j.job_ttl"),
    ("ship", "Total kg of parcels per depot",  # only the column description says how
     "SELECT d.label, SUM(p.kg) FROM ship.parcels p JOIN ship.depots d ON p.src = d.pk "
     "GROUP BY d.pk, d.label"),
    ("ship", "Number of pets per owner",  # only the declared key says how
     "SELECT o.nm, COUNT(*) FROM ship.pets p JOIN ship.owners o ON p.keeper = o.pk "
     "GROUP BY o.pk, o.nm"),
    ("desk", "How many tickets per team of the agent?",
     "SELECT t.name, COUNT(*) FROM desk.tickets k JOIN desk.agents a ON k.agent_id = a.id "
     "JOIN desk.teams t ON a.team_id = t.id GROUP BY t.id, t.name"),
    ("uni", "What are each lecturer's name and the title of their modules?",  # the pairs
     "SELECT l.Name, m.Title FROM uni.lecturer l JOIN uni.module_lecturer ml USING "
     "(Lecturer_ID) JOIN uni.module m USING (Module_ID)"),
    ("gym", "Number of members per visit kind",  # one-to-many: members counted once
     "SELECT v.kind, COUNT(DISTINCT m.id) FROM gym.members m JOIN gym.visits v "
     "ON m.id = v.member_id GROUP BY 1"),
])
def test_agent_answers_through_joins(dbs: dict[str, Path], schema: str, question: str,
                                     query: str) -> None:
    answer = ask_db(dbs[schema], question)

    assert answer.answered, answer.answer
    assert sorted(map(tuple, answer.rows)) == sorted(map(tuple, gold(dbs[schema], query)))
    assert answer.interpretation is not None and answer.interpretation.joins


@pytest.mark.parametrize(("schema", "question", "reason"), [
    ("desk", "How many tickets per team?", "more than one way"),  # the agent's or customer's
    ("air", "How many flights per airport?", "OriginAirport"),  # from it, or to it?
    ("air", "How many flights per airport country?", "DestinationAirport"),
    ("gym", "How many members visited the Sauna in 2023?", "which year"),  # joined or visited
    ("gym", "Members by visit kind", "does not ask for a count"),
    ("uni", "Lecturers by module", "does not ask for a count"),
])
def test_agent_declines_a_join_it_would_guess(dbs: dict[str, Path], schema: str,
                                              question: str, reason: str) -> None:
    answer = ask_db(dbs[schema], question)

    assert not answer.answered and answer.sql is None, answer.sql
    assert reason in answer.answer


def test_sums_of_rows_a_join_repeats_are_declined(dbs: dict[str, Path]) -> None:
    cat = catalog_of(dbs["uni"], "uni")
    u = understand("Total credits of modules per lecturer", cat)
    assert u.plan is None and u.problem is not None and "repeats" in u.problem


@pytest.mark.parametrize(("name", "kind", "parts"), [
    ("major_dept_id", "INT64", (("major", "department"), "id")),
    ("TailNumber", "STRING", (("tail",), "number")),
    ("EMPID", "INT64", (("employee",), "id")),
    ("fkDept", "INT64", (("department",), "fk")),
    ("PAID", "BOOL", None),  # a flag in capitals, not the id of a "pa"
    ("valid", "INT64", None),
    ("OriginAirport", "STRING", None),  # a role, linked only by its values (see above)
])
def test_key_names_in_several_styles(name: str, kind: str, parts: object) -> None:
    assert J.key_parts(Column(name, kind, "s.t")) == parts
