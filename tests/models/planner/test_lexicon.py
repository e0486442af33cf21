"""The planner's lexicon is data: loaded once, validated, general English only."""

from __future__ import annotations

import re
from importlib import resources

import pytest
import yaml

from nl2sql.models.planner.lexicon import FEATURES, LexiconError, lexicon, parse_lexicon


def _doc() -> dict:
    text = resources.files("nl2sql.models.planner").joinpath("lexicon.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def test_the_shipped_lexicon_loads_once_and_is_valid() -> None:
    assert lexicon() is lexicon()
    lex = lexicon()
    assert "not" in lex.features["negation"] and "average" in lex.features["average"]
    assert lex.features_of("least") == {"ranking", "comparison"}
    assert "the" in lex.contentless


def test_the_lexicon_names_no_table_or_column_of_any_test_or_demo_schema() -> None:
    # general English only: words that are schema vocabulary in our fixtures stay out
    words = " ".join(str(v) for v in _doc().values()) + str(_doc()["features"])
    for name in ("thelook", "order_items", "distribution", "inventory", "singer", "loans",
                 "books", "museum", "hometown"):
        assert not re.search(rf"\b{name}\b", words), name


@pytest.mark.parametrize(("edit", "message"), [
    (lambda d: d.pop("light_verbs"), "expected exactly the keys"),
    (lambda d: d["features"].pop("negation"), "features must have exactly"),
    (lambda d: d.update(function_words=""), "non-empty string"),
    (lambda d: d.update(function_words="the Users"), "not lower-case words"),
    (lambda d: d.update(light_verbs=d["light_verbs"] + " average"), "content-free"),
])
def test_a_bad_edit_fails_loudly(edit, message: str) -> None:  # type: ignore[no-untyped-def]
    doc = _doc()
    edit(doc)
    with pytest.raises(LexiconError, match=message):
        parse_lexicon(doc)


def test_every_feature_has_words() -> None:
    assert all(lexicon().features[f] for f in FEATURES)
