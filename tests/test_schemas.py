"""Every declarative file in schemas/ loads and is valid for its consumer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from nl2sql.context import dataset_context
from nl2sql.schemas import SCHEMAS_DIR
from nl2sql.tools import declarations

# Gemini accepts a subset of OpenAPI 3.0 schema keywords in function declarations.
GEMINI_SCHEMA_KEYS = {"type", "description", "properties", "required", "items", "enum",
                      "format", "nullable", "minimum", "maximum", "minItems", "maxItems",
                      "anyOf", "propertyOrdering", "title", "default", "example"}
GEMINI_TYPES = {"string", "number", "integer", "boolean", "array", "object"}


def _check_gemini_schema(schema: dict, where: str) -> None:
    unknown = set(schema) - GEMINI_SCHEMA_KEYS
    assert not unknown, f"{where}: keywords Gemini rejects: {unknown}"
    assert schema.get("type") in GEMINI_TYPES, f"{where}: bad type {schema.get('type')}"
    for name, sub in schema.get("properties", {}).items():
        _check_gemini_schema(sub, f"{where}.{name}")
    for req in schema.get("required", []):
        assert req in schema.get("properties", {}), f"{where}: required {req!r} not declared"
    if "items" in schema:
        _check_gemini_schema(schema["items"], f"{where}[]")


def test_function_declarations_are_the_contracted_four_then_knowledge() -> None:
    assert [d["name"] for d in declarations()] == ["list_datasets", "list_tables", "get_table",
                                                   "sql_query", "search_verified_queries"]


@pytest.mark.parametrize("decl", declarations(), ids=lambda d: d["name"])
def test_function_declaration_is_valid_for_gemini(decl: dict) -> None:
    assert set(decl) == {"name", "description", "parameters"}
    assert decl["description"].strip()
    _check_gemini_schema(decl["parameters"], decl["name"])


@pytest.mark.parametrize("path", sorted(p for p in SCHEMAS_DIR.rglob("*") if p.is_file()),
                         ids=lambda p: str(p.relative_to(SCHEMAS_DIR)))
def test_every_schema_file_loads(path: Path) -> None:
    text = path.read_text()
    if path.suffix == ".md":  # a dataset context file: a description, then notes
        context = dataset_context(path.stem)
        assert context is not None and context.description, f"{path.name} has no description"
        return
    data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    assert data, f"{path.name} is empty"
