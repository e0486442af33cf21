"""Every response the test client gets is checked against schemas/openapi.yaml."""

from __future__ import annotations

from functools import cache
from typing import Any

from flask.testing import FlaskClient
from openapi_core import OpenAPI
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.testing import MockRequest, MockResponse
from werkzeug.test import TestResponse

from nl2sql.tools import SCHEMAS_DIR

SPEC_PATH = SCHEMAS_DIR / "openapi.yaml"


@cache
def spec() -> OpenAPI:
    return OpenAPI.from_file_path(str(SPEC_PATH))


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
