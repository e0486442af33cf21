"""A tiny warehouse of our own invention, for tests that must not depend on the demo."""

from __future__ import annotations

from pathlib import Path

import duckdb

SHOP_SQL = """
CREATE SCHEMA shop.shop;
CREATE TABLE shop.shop.customers (id BIGINT, name VARCHAR, country VARCHAR, joined DATE);
CREATE TABLE shop.shop.purchases (id BIGINT, customer_id BIGINT, amount DOUBLE,
                                   status VARCHAR, bought_at TIMESTAMP);
INSERT INTO shop.shop.customers VALUES
  (1, 'Ana', 'Portugal', DATE '2021-01-05'), (2, 'Bo', 'Sweden', DATE '2022-03-01'),
  (3, 'Cy', 'Portugal', DATE '2023-07-19');
INSERT INTO shop.shop.purchases
  SELECT i, 1 + i % 3, 10.0 * (i % 7), CASE WHEN i % 4 = 0 THEN 'Refunded' ELSE 'Paid' END,
         TIMESTAMP '2023-01-01' + i * INTERVAL 1 DAY
  FROM range(1, 201) t(i);
COMMENT ON TABLE shop.shop.customers IS 'People who bought something';
COMMENT ON COLUMN shop.shop.purchases.status IS 'Paid or Refunded';
CREATE SCHEMA shop.secret;
CREATE TABLE shop.secret.salaries (name VARCHAR, salary DOUBLE);
INSERT INTO shop.secret.salaries VALUES ('Ana', 100000);
"""


def build_shop(directory: Path) -> Path:
    """Write ``shop.duckdb`` (a file named like its schema, on purpose) and return its path."""
    path = directory / "shop.duckdb"
    con = duckdb.connect(str(path))
    con.execute(SHOP_SQL)
    con.close()
    return path
