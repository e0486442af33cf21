"""Yes/no facts kept as 'Y'/'N' text read like BOOLEAN columns: "fragile items" keeps
the 'Y' rows, "not fragile" the 'N' rows; columns of other one-letter codes are not
flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from nl2sql.models.planner.catalog import Column
from nl2sql.models.planner.flags import flag_filter, yes_no
from tests.models.planner.conftest import assert_answers_like, make_db

# NULL flags are neither yes nor no: "not fragile" must not count them
STORE_SQL = """
CREATE SCHEMA store;
CREATE TABLE store.items (item_id INTEGER, label VARCHAR, fragile_flag VARCHAR,
  price DECIMAL(8,2));
INSERT INTO store.items SELECT i, 'item ' || i,
  CASE WHEN i % 7 = 0 THEN NULL WHEN i % 3 = 0 THEN 'Y' ELSE 'N' END, 5 + i FROM range(1, 31) t(i);
"""


@pytest.fixture(scope="module")
def store_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory, STORE_SQL)


def test_a_yes_no_text_column_filters_like_a_boolean(store_db: Path) -> None:
    assert_answers_like(store_db, "How many fragile items are there?",
                        "SELECT COUNT(*) FROM store.items WHERE fragile_flag = 'Y'")
    assert_answers_like(store_db, "What is the average price of fragile items?",
                        "SELECT AVG(price) FROM store.items WHERE fragile_flag = 'Y'")


def test_a_negated_flag_keeps_the_no_rows(store_db: Path) -> None:
    assert_answers_like(store_db, "How many items are not fragile?",
                        "SELECT COUNT(*) FROM store.items WHERE fragile_flag = 'N'")


def test_only_a_yes_no_pair_makes_a_flag() -> None:
    def col(*examples: str) -> Column:
        return Column("c", "STRING", "d.t", examples=examples)

    assert yes_no(col("Y", "N")) == ("Y", "N")
    assert yes_no(col("no", "yes")) == ("yes", "no")
    assert yes_no(col("F", "M")) is None  # genders
    assert yes_no(col("F", "P")) is None  # full-time / part-time
    assert yes_no(col("Y")) is None  # one value seen: nothing says what the other is
    assert flag_filter(col("F", "M"), negated=False, said={"c"}) is None


def test_a_flag_applies_only_when_the_words_say_its_whole_fact() -> None:
    hd = Column("Hight_definition_TV", "STRING", "d.t", examples=("yes", "no"))

    # "cartoons on TV": one word of the flag's name is not its fact
    assert flag_filter(hd, negated=False, said={"cartoon", "tv"}) is None
    held = flag_filter(hd, negated=False, said={"hight", "definition", "tv"})
    assert held is not None and held.values == ("yes",)
