"""A DuckDB file with secrets everywhere but the allowed dataset, for end-to-end leak tests.

The allowed dataset is ``shop``. The canary string sits in rows of other
schemas (``hr``, ``main``), in view definitions and table comments of other
schemas, in macro bodies (``main``'s macros are named like built-in functions,
which an unqualified call would resolve to), behind views and macros of
``shop`` that read them with no scan a plan would show, in a table name, and
in the file's own path (which ``duckdb_databases()`` and ``pragma_database_list``
show). A query that lets
any of it reach an answer, a step, a log line or the state file has leaked.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

CANARY = "zqcanary7f3"  # lower case: DuckDB folds unquoted names

CANARY_SQL = f"""
CREATE SCHEMA shop;
CREATE TABLE shop.orders (id BIGINT, customer VARCHAR, amount DOUBLE, status VARCHAR,
                          created DATE, tags VARCHAR[]);
INSERT INTO shop.orders VALUES
  (1, 'Ana', 10.0, 'Complete', DATE '2024-01-31', ['a', 'b']),
  (2, 'Bo', 20.0, 'Returned', DATE '2024-02-29', ['c']),
  (3, 'Ana', 35.5, 'Complete', DATE '2024-03-15', []),
  (4, 'Cy', 7.25, 'Shipped', DATE '2024-12-30', ['a']);
CREATE TABLE shop.customers (name VARCHAR, country VARCHAR);
INSERT INTO shop.customers VALUES ('Ana', 'Portugal'), ('Bo', 'Sweden'), ('Cy', 'Portugal');
CREATE VIEW shop.big_orders AS SELECT id, amount FROM shop.orders WHERE amount > 15;
CREATE SCHEMA hr;
CREATE TABLE hr.salaries (name VARCHAR, salary VARCHAR);
INSERT INTO hr.salaries VALUES ('Ana', '{CANARY}-salary');
CREATE TABLE hr.{CANARY}_names (x INT);
COMMENT ON TABLE hr.salaries IS '{CANARY}-comment';
CREATE VIEW hr.payroll AS SELECT '{CANARY}-viewdef' AS secret;
CREATE MACRO hr.secret_fn() AS '{CANARY}-macro';
CREATE TABLE main.api_keys (k VARCHAR);
INSERT INTO main.api_keys VALUES ('{CANARY}-apikey');
CREATE VIEW main.settings AS SELECT '{CANARY}-mainview' AS v;
CREATE SEQUENCE hr.seq_{CANARY};
CREATE MACRO main.secret_main() AS '{CANARY}-mainmacro';
CREATE MACRO main.reverse(s) AS '{CANARY}-shadow';
CREATE MACRO main.range(n) AS TABLE SELECT '{CANARY}-range' AS v;
CREATE MACRO shop.reads_hr() AS (SELECT max(salary) FROM hr.salaries);
CREATE MACRO shop.hr_rows() AS TABLE SELECT * FROM hr.salaries;
CREATE VIEW shop.hr_view AS SELECT name, salary FROM hr.salaries;
CREATE VIEW shop.via_macro AS SELECT hr.secret_fn() AS s;
CREATE VIEW shop.via_constview AS SELECT * FROM hr.payroll;
CREATE VIEW shop.via_view AS SELECT * FROM shop.via_constview;
CREATE MACRO shop.const_hr() AS (SELECT max(secret) FROM hr.payroll);
CREATE MACRO shop.const_rows() AS TABLE SELECT * FROM hr.payroll;
CREATE VIEW shop.open_view AS SELECT status FROM orders;
"""


def build_canary(directory: Path) -> Path:
    """Write the canary warehouse (its path holds the canary too) and return its path."""
    path = directory / f"wh_{CANARY}.duckdb"
    con = duckdb.connect(str(path))
    con.execute(CANARY_SQL)
    con.close()
    return path
