"""Every response the test client gets is checked against schemas/openapi.yaml;
in a Server-Sent Events stream, the ``answer`` and ``error`` events are checked
against the ``Answer`` and ``Error`` schemas too (the spec can only call the
stream a string)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import jsonschema
import yaml
from flask.testing import FlaskClient
from openapi_core import OpenAPI
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.testing import MockRequest, MockResponse
from werkzeug.test import TestResponse

from nl2sql.schemas import SCHEMAS_DIR

SPEC_PATH = SCHEMAS_DIR / "openapi.yaml"


@cache
def spec() -> OpenAPI:
    return OpenAPI.from_file_path(str(SPEC_PATH))


#: SSE events whose data is a documented object, and the schema it must match
EVENT_SCHEMAS = {"answer": "Answer", "error": "Error"}


@cache
def components() -> dict[str, Any]:
    return dict(yaml.safe_load(SPEC_PATH.read_text())["components"])


def validate_event(name: str, data: Any) -> None:
    """Raise if an ``answer``/``error`` event's data does not match its schema."""
    schema = {"$ref": f"#/components/schemas/{EVENT_SCHEMAS[name]}",
              "components": components()}
    jsonschema.Draft202012Validator(schema).validate(data)


def validate_events(body: str) -> int:
    """Check every documented event of an SSE body; returns how many there were."""
    checked = 0
    for chunk in body.split("\n\n"):
        lines = chunk.split("\n")
        name = next((line[7:] for line in lines if line.startswith("event: ")), None)
        if name in EVENT_SCHEMAS:
            validate_event(name, json.loads("".join(
                line[6:] for line in lines if line.startswith("data: "))))
            checked += 1
    return checked


def validate(response: TestResponse) -> None:
    """Raise if ``response`` does not match the documented response of its operation."""
    request = response.request
    data: Any = response.get_data() if response.is_json else response.get_data(as_text=True)
    spec().validate_response(
        MockRequest("http://localhost", request.method.lower(), request.path,
                    args=dict(request.args)),
        MockResponse(data, status_code=response.status_code, headers=dict(response.headers),
                     content_type=response.mimetype),
    )
    if response.mimetype == "text/event-stream":
        validate_events(response.get_data(as_text=True))


class ValidatingClient(FlaskClient):
    """A test client that validates each response of a documented path."""

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        response = super().open(*args, **kwargs)
        # Read it all now and release files/generators (the data stays cached):
        # an unclosed file response would be a ResourceWarning, an error here.
        response.get_data()
        response.close()
        try:
            validate(response)
        except PathError:
            # Undocumented paths (/nope, /static/...) and methods: test_openapi checks
            # separately that every route the app serves is documented.
            if response.request.path.startswith("/api/"):
                assert response.status_code in (404, 405), response.request.path
        return response
