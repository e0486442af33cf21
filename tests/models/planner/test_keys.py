"""Keys no name places, found by their values; role keys chosen by the question's words.

Schemas are ours, without declared keys unless a test says so: a relation table whose
key columns name no table (``friend(person_id, friend_id)`` to ``member``), in
snake_case, PascalCase and terse names; a table pointing twice at another by role
(``SourceAirport``/``DestAirport``). The planner learns where such a key points only
from a bounded probe it runs through the ``sql_query`` tool (``keyprobe``); values
found in two tables' keys, or in none, make no key, and a role the words do not
choose stays a decline naming both ways.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nl2sql.config import Settings
from nl2sql.models.base import FunctionCall, FunctionResponse
from nl2sql.models.planner import joins as J
from nl2sql.models.planner import keyprobe
from nl2sql.models.planner.catalog import PROBE_ID, Catalog, Exchange, Round
from nl2sql.models.planner.resolve import understand
from nl2sql.models.planner.sqlbuild import to_sql
from nl2sql.tools import Toolbox
from nl2sql.warehouse.duckdb import DuckDBWarehouse
from tests.models.planner.catalogs import catalog_of
from tests.models.planner.conftest import ask_db, gold, make_db

SCHEMAS = {
    "social": """
CREATE SCHEMA social;
CREATE TABLE social.member (ID BIGINT, name VARCHAR, grade BIGINT);
CREATE TABLE social.friend (person_id BIGINT, friend_id BIGINT);
CREATE TABLE social.likes (person_id BIGINT, liked_id BIGINT);
CREATE TABLE social.club (club_id BIGINT, title VARCHAR);
INSERT INTO social.member SELECT 1000 + i, ['Ann', 'Bob', 'Cy', 'Di', 'Ed', 'Flo', 'Gus',
  'Ann'][i], 9 + i % 4 FROM range(1, 9) t(i);
INSERT INTO social.friend VALUES (1001, 1002), (1001, 1003), (1001, 1004), (1002, 1001),
  (1003, 1005), (1008, 1001), (1008, 1002), (1004, 1006);
INSERT INTO social.likes VALUES (1001, 1005), (1002, 1005), (1003, 1001), (1006, 1005);
INSERT INTO social.club VALUES (1, 'Chess'), (2, 'Drama');
""",
    "Net": """
CREATE SCHEMA Net;
CREATE TABLE Net.Users (Id BIGINT, UserName VARCHAR, Country VARCHAR);
CREATE TABLE Net.Posts (Id BIGINT, Title VARCHAR, Views BIGINT);
CREATE TABLE Net.Follows (FollowerId BIGINT, FolloweeId BIGINT);
CREATE TABLE Net.Reads (ReaderId BIGINT, PostRef BIGINT);
INSERT INTO Net.Users SELECT 500 + i, 'u' || i, ['Peru', 'Chile'][1 + i % 2]
  FROM range(1, 9) t(i);
INSERT INTO Net.Posts SELECT 500 + i, 'p' || i, 10 * i FROM range(1, 4) t(i);
INSERT INTO Net.Follows SELECT 500 + 1 + i % 8, 500 + 1 + (i * 3) % 8 FROM range(0, 8) t(i);
INSERT INTO Net.Reads SELECT 501 + i % 3, 501 + i % 3 FROM range(0, 9) t(i);
""",
    "trm": """
CREATE SCHEMA trm;
CREATE TABLE trm.port (port_cd BIGINT, port_nm VARCHAR);
CREATE TABLE trm.shipment (shpmt_no BIGINT, src_port_cd BIGINT, dst_port_cd BIGINT,
                           wt_kg DOUBLE);
INSERT INTO trm.port VALUES (71, 'Lima'), (72, 'Quito'), (73, 'Santos');
INSERT INTO trm.shipment SELECT i, 71 + i % 3, 71 + (i + 1) % 3, 10.0 * i
  FROM range(1, 31) t(i);
""",
    "war": """
CREATE SCHEMA war;
CREATE TABLE war.battle (id BIGINT, name VARCHAR, result VARCHAR);
CREATE TABLE war.ship (id BIGINT, name VARCHAR, lost_in_battle BIGINT, location VARCHAR,
                       tonnage BIGINT);
INSERT INTO war.battle SELECT i, 'B' || i, ['Victory', 'Defeat'][1 + i % 2] FROM range(1, 9) t(i);
INSERT INTO war.ship VALUES (21, 'Ada', 2, 'Channel', 200), (22, 'Bea', 2, 'Sound', 300),
  (23, 'Cid', 3, 'Sound', 250), (24, 'Dot', 5, 'Channel', 225), (25, 'Eve', 8, 'Bay', 225);
""",
    "fly": """
CREATE SCHEMA fly;
CREATE TABLE fly.Airport (AirportCode VARCHAR, City VARCHAR, Country VARCHAR);
CREATE TABLE fly.Route (RouteId BIGINT, SourceAirport VARCHAR, DestAirport VARCHAR,
                        Distance BIGINT);
INSERT INTO fly.Airport VALUES ('LIM', 'Lima', 'Peru'), ('SCL', 'Santiago', 'Chile'),
  ('CUZ', 'Cusco', 'Peru');
INSERT INTO fly.Route SELECT i, ['LIM', 'SCL', 'CUZ'][1 + i % 3],
  ['SCL', 'CUZ', 'LIM'][1 + (i * 2) % 3], 100 * i FROM range(1, 25) t(i);
""",
    # Station holds Radio_Station.id: a column named by the last word of a table's name
    "radio": """
CREATE SCHEMA radio;
CREATE TABLE radio.Radio_Station (id BIGINT, call_sign VARCHAR, city VARCHAR);
CREATE TABLE radio.Program (id BIGINT, Title VARCHAR, Host VARCHAR, Station BIGINT);
CREATE TABLE radio.Radio_Episode (id BIGINT, Episode VARCHAR, Rating DOUBLE, Station BIGINT);
INSERT INTO radio.Radio_Station VALUES (301, 'KQED', 'Oakland'), (302, 'WNYC', 'New York'),
  (303, 'KALW', 'San Francisco');
INSERT INTO radio.Program VALUES (1, 'Night Owls', 'Ana Ruiz', 302),
  (2, 'Morning Brew', 'Ben Okafor', 301), (3, 'Jazz Hour', 'Cy Lee', 302),
  (4, 'Tide Report', 'Di Moss', 303);
INSERT INTO radio.Radio_Episode VALUES (1, 'Pilot', 4.5, 302), (2, 'Second Wind', 3.9, 302),
  (3, 'Low Tide', 4.1, 301), (4, 'Echoes', 4.8, 303);
""",
}


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {name: make_db(tmp_path_factory, sql) for name, sql in SCHEMAS.items()}


def _exchanges(db: Path, dataset: str, probe: bool = False) -> list[Exchange]:
    """What list_tables and get_table return for every table, and (``probe``) the
    answer to the planner's own key probe, all run on the real data."""
    wh = DuckDBWarehouse(db)
    try:
        tools = Toolbox(wh, Settings())
        listed = tools.list_tables(dataset)
        out = [Exchange(FunctionCall("list_tables", {"dataset_id": dataset}),
                        FunctionResponse("list_tables", {"output": listed}))]
        for t in listed["tables"]:
            out.append(Exchange(FunctionCall("get_table", {"table_id": t["table_id"]}),
                                FunctionResponse("get_table",
                                                 {"output": tools.get_table(t["table_id"])})))
        if probe:
            sql = keyprobe.probe_sql(keyprobe.pending(Catalog.from_round(
                Round("q", [], out, 2))))
            assert sql is not None
            answer = {"output": tools.sql_query(sql).payload}
            out.append(Exchange(FunctionCall("sql_query", {"query": sql}, id=f"{PROBE_ID}-3-0"),
                                FunctionResponse("sql_query", answer)))
    finally:
        wh.close()
    return out


def _probed(db: Path, dataset: str) -> Catalog:
    return Catalog.from_round(Round("q", [], _exchanges(db, dataset, probe=True), 3))


def _edges(cat: Catalog) -> set[tuple[str, str, str, str, str]]:
    return {(e.source.name, e.fk.name, e.target.name, e.key.name, e.kind) for e in J.graph(cat)}


@pytest.mark.parametrize(("schema", "expected"), [
    ("social", {("friend", "person_id", "member", "ID", "value"),
                ("friend", "friend_id", "member", "ID", "value"),
                ("likes", "person_id", "member", "ID", "value"),
                ("likes", "liked_id", "member", "ID", "value")}),
    # ReaderId's values are in Users.Id and Posts.Id alike: two candidates, no key;
    # PostRef is no key-like name (not probed)
    ("Net", {("Follows", "FollowerId", "Users", "Id", "value"),
             ("Follows", "FolloweeId", "Users", "Id", "value")}),
    # named for a table by a role, the key a bare id: only that table's key is probed
    ("war", {("ship", "lost_in_battle", "battle", "id", "value")}),
    # named by the last word of a table's name: only that table's key is probed
    ("radio", {("Program", "Station", "Radio_Station", "id", "value"),
               ("Radio_Episode", "Station", "Radio_Station", "id", "value")}),
])
def test_keys_no_name_places_are_found_by_their_values(dbs: dict[str, Path], schema: str,
                                                       expected: set[tuple[str, ...]]) -> None:
    assert not any(e.kind == "value" for e in J.graph(catalog_of(dbs[schema], schema)))
    assert _edges(_probed(dbs[schema], schema)) == expected


def test_the_probe_is_asked_once_and_bounded(dbs: dict[str, Path]) -> None:
    cat = _probed(dbs["social"], "social")
    assert keyprobe.pending(cat) == []  # every pair answered: never asked again
    sql = keyprobe.probe_sql(keyprobe.pending(catalog_of(dbs["social"], "social")))
    assert sql is not None and f"LIMIT {keyprobe.SAMPLE}" in sql
    # the club's key holds none of the values: probed, and no edge to it
    assert "social.club.club_id" in sql


def test_a_keys_only_table_has_no_own_key_named_for_it(dbs: dict[str, Path]) -> None:
    cat = catalog_of(dbs["social"], "social")
    friend = cat.table("social.friend")
    assert friend is not None and J.key_of(cat, friend) is None


def test_terse_role_keys_are_named_keys_and_directions_choose(dbs: dict[str, Path]) -> None:
    cat = catalog_of(dbs["trm"], "trm")
    shp, prt = cat.table("trm.shipment"), cat.table("trm.port")
    assert shp is not None and prt is not None
    assert [j.fk.name for j in J.route(cat, shp, prt, {"shipment", "from"})] == ["src_port_cd"]
    assert [j.fk.name for j in J.route(cat, shp, prt, {"shipment", "to"})] == ["dst_port_cd"]
    for stems in ({"shipment"}, {"from", "to"}):  # no direction, or both: declined
        with pytest.raises(J.Unanswerable, match="more than one way"):
            J.route(cat, shp, prt, stems)


@pytest.mark.parametrize(("schema", "question", "query"), [
    ("social", "How many friends does each member have?",
     "SELECT m.name, COUNT(*) FROM social.friend f JOIN social.member m ON f.person_id = m.ID "
     "GROUP BY m.ID, m.name"),
    ("social", "Which members have at least 2 friends?",  # the owner's key: person_id
     "SELECT name FROM social.member m WHERE (SELECT COUNT(*) FROM social.friend f "
     "WHERE f.person_id = m.ID) >= 2"),
    ("social", "Which members are never liked?",  # the word of the other end: liked_id
     "SELECT name FROM social.member m WHERE NOT EXISTS (SELECT 1 FROM social.likes l "
     "WHERE l.liked_id = m.ID)"),
    ("social", "Average grade of members who have no friends",
     "SELECT AVG(grade) FROM social.member m WHERE NOT EXISTS (SELECT 1 FROM social.friend f "
     "WHERE f.person_id = m.ID)"),
    ("social", "What are the names of members with no friends?",
     "SELECT name FROM social.member m WHERE NOT EXISTS (SELECT 1 FROM social.friend f "
     "WHERE f.person_id = m.ID)"),
    ("war", "How many battles with no ships lost in the Sound?",  # the ships' location
     "SELECT COUNT(*) FROM war.battle b WHERE NOT EXISTS (SELECT 1 FROM war.ship s "
     "WHERE s.lost_in_battle = b.id AND s.location = 'Sound')"),
    ("war", "How many battles had no ships lost?",  # "lost": the key's own word
     "SELECT COUNT(*) FROM war.battle b WHERE NOT EXISTS (SELECT 1 FROM war.ship s "
     "WHERE s.lost_in_battle = b.id)"),
    ("fly", "How many routes depart from Peru?",
     "SELECT COUNT(*) FROM fly.Route r JOIN fly.Airport a ON r.SourceAirport = a.AirportCode "
     "WHERE a.Country = 'Peru'"),
    ("fly", "Average distance of routes arriving in Chile",
     "SELECT AVG(Distance) FROM fly.Route r JOIN fly.Airport a ON r.DestAirport = a.AirportCode "
     "WHERE a.Country = 'Chile'"),
    ("radio", "List the episodes of radio episodes on radio stations in Oakland.",
     "SELECT e.Episode FROM radio.Radio_Episode e JOIN radio.Radio_Station s ON e.Station = s.id "
     "WHERE s.city = 'Oakland'"),
    # "the radio station" is the table itself, not Radio_Episode.Station (its copy of the
    # key, one row per episode): one row, no join to the episodes
    ("radio", 'What is the radio station that shows the program "Night Owls"? '
     "List the radio station's call sign.",
     "SELECT s.call_sign FROM radio.Radio_Station s JOIN radio.Program p ON p.Station = s.id "
     "WHERE p.Title = 'Night Owls'"),
    ("trm", "Total weight of shipments from Lima",
     "SELECT SUM(wt_kg) FROM trm.shipment s JOIN trm.port p ON s.src_port_cd = p.port_cd "
     "WHERE p.port_nm = 'Lima'"),
])
def test_agent_answers_through_found_and_role_keys(dbs: dict[str, Path], schema: str,
                                                   question: str, query: str) -> None:
    answer = ask_db(dbs[schema], question)

    assert answer.answered, answer.answer
    assert sorted(map(tuple, answer.rows)) == sorted(map(tuple, gold(dbs[schema], query)))
    assert answer.interpretation is not None


@pytest.mark.parametrize(("schema", "question", "reason"), [
    ("fly", "How many routes per airport?", "more than one way"),  # from it or to it?
    ("fly", "How many routes from Peru to Chile?", ""),  # both ends: the table twice
    ("Net", "How many follows per user?", "more than one way"),  # neither end chosen
    ("Net", "How many reads per post?", ""),  # ReaderId/PostRef: no key evidence
    ("social", "What are the names of Ann's friends?", ""),  # the member twice
    # battles joined to the channel's ships AND without ships: contradictory, declined
    ("war", "Names of battles with no ships lost and ships in the 'Channel'", ""),
])
def test_agent_declines_when_the_key_or_role_is_undecided(dbs: dict[str, Path], schema: str,
                                                          question: str, reason: str) -> None:
    answer = ask_db(dbs[schema], question)

    assert not answer.answered and answer.sql is None, answer.sql
    assert reason in answer.answer


def test_the_interpretation_names_the_role_taken(dbs: dict[str, Path]) -> None:
    answer = ask_db(dbs["fly"], "Average distance of routes arriving in Chile")
    assert answer.interpretation is not None
    assert answer.interpretation.joins == ("fly.Route to fly.Airport on DestAirport = AirportCode",)
    cat = catalog_of(dbs["fly"], "fly")
    u = understand("Average distance of routes arriving in Chile", cat)
    assert u.plan is not None, u.problem
    assert [j.fk.name for j in u.plan.joins] == ["DestAirport"]
    assert "DestAirport" in to_sql(u.plan)
