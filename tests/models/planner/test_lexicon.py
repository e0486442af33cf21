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
    (lambda d: d["sets"].pop("fillers"), "sets must have exactly"),
    (lambda d: d["sets"].update(verbs="Go"), "not lower-case words"),
    (lambda d: d["maps"].pop("months"), "maps must have exactly"),
    (lambda d: d["maps"]["time_units"].update(fortnight="FORTNIGHT"), "is not a part"),
    (lambda d: d["maps"]["letter_codes"].update(female="Fem"), "is not a letter"),
    (lambda d: d["maps"]["months"].update(march="3"), "is not a number"),
    (lambda d: d["maps"]["abbreviations"].update({"Qty": "quantity"}), "not a lower-case"),
])
def test_a_bad_edit_fails_loudly(edit, message: str) -> None:  # type: ignore[no-untyped-def]
    doc = _doc()
    edit(doc)
    with pytest.raises(LexiconError, match=message):
        parse_lexicon(doc)


def test_every_feature_has_words() -> None:
    assert all(lexicon().features[f] for f in FEATURES)


def test_the_reading_uses_the_lexicon_tables() -> None:
    # the module-level tables of the reading are the data file's, not copies of it
    from nl2sql.models.planner import audit, listing, match, words
    from nl2sql.models.planner.lexicon import MAPS, SETS

    lex = lexicon()
    assert set(lex.sets) == set(SETS) and set(lex.maps) == set(MAPS)
    assert words.FILLERS is lex.sets["fillers"] and words.VERBS is lex.sets["verbs"]
    assert words.ABBREVIATIONS is lex.maps["abbreviations"]
    assert words.stem("qty") == "quantity" and words.stem("IDs") == "id"
    assert match.LETTER_CODES is lex.maps["letter_codes"]
    assert audit.PLACE_WORDS is lex.sets["place_words"]
    assert listing.DESCENDING is lex.sets["descending"]
    assert words.MONTHS["march"] == 3 and words.MONTHS["mar"] == 3 and "may" in words.MONTHS


def test_inflected_light_verbs_are_light() -> None:
    lex = lexicon()
    assert all(lex.light(w) for w in ("using", "owning", "lived", "uses", "offered",
                                      "corresponds"))
    assert not any(lex.light(w) for w in ("users", "owners", "county"))
