"""The API is documented: every route in schemas/openapi.yaml and docs/api.md."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from flask import Flask
from openapi_spec_validator import validate

from tests.web.openapi import SPEC_PATH

ROOT = Path(__file__).resolve().parents[2]
UNDOCUMENTED = {"/", "/static/<path:filename>", "/favicon.ico", "/slack/commands",
                "/slack/interactions"}


def api_routes(app: Flask) -> set[tuple[str, str]]:
    out = set()
    for rule in app.url_map.iter_rules():
        if rule.rule in UNDOCUMENTED:
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            out.add((method.lower(), path))
    return out


def test_the_spec_is_valid_openapi() -> None:
    validate(yaml.safe_load(SPEC_PATH.read_text()))


def test_every_route_is_in_the_spec(app: Flask) -> None:
    paths = yaml.safe_load(SPEC_PATH.read_text())["paths"]
    documented = {(m, p) for p, ops in paths.items() for m in ops}
    assert api_routes(app) == documented


def test_every_route_is_in_docs_api_md(app: Flask) -> None:
    text = (ROOT / "docs" / "api.md").read_text()
    for method, path in sorted(api_routes(app)):
        assert f"{method.upper()} {path}" in text, f"{method.upper()} {path} missing"


def test_answer_fields_are_all_documented(client: object) -> None:
    from flask.testing import FlaskClient

    assert isinstance(client, FlaskClient)
    answer = client.post("/api/ask", json={"question": "How many orders by status?"}).json
    schema = yaml.safe_load(SPEC_PATH.read_text())["components"]["schemas"]["Answer"]
    assert set(answer) == set(schema["properties"]) == set(schema["required"])
