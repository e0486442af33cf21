"""Request hygiene: malformed input is refused with a 4xx before any work starts.

Every request's URL, and its body when it is JSON or a form, is checked first:
text must be valid UTF-8 without NUL characters or lone UTF-16 surrogates
(JSON's ``"\\ud800"`` escape decodes to one; it cannot be stored or sent
on), JSON may nest only ``MAX_JSON_DEPTH`` levels (Python's parser recurses,
so 60 KB of ``[`` would otherwise end in a RecursionError), and the URL is
bounded. Bodies are bounded by Flask's ``MAX_CONTENT_LENGTH`` (413).

A refused request has done nothing: no rate-limit hit, no model call, no state.

>>> nesting_depth(b'{"a": [1, {"b": "[[["}]}')
3
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from flask import Flask, g, request
from werkzeug.exceptions import RequestEntityTooLarge, RequestURITooLarge

from nl2sql.errors import BadRequest

MAX_JSON_DEPTH = 32
# gunicorn refuses a longer request line itself (``--limit-request-line``, the
# value `nl2sql serve` passes), with the same JSON envelope (nl2sql.web.server).
MAX_URL_BYTES = 8190
_STRUCTURE = re.compile(rb'[\[\]{}"\\]')
_FORM = "application/x-www-form-urlencoded"


def nesting_depth(raw: bytes, stop_after: int = MAX_JSON_DEPTH) -> int:
    """How deeply arrays and objects nest in JSON text (brackets in strings do not
    count), in one linear pass; stops counting past ``stop_after``."""
    depth = deepest = 0
    in_string = False
    skip_to = -1
    for m in _STRUCTURE.finditer(raw):
        i = m.start()
        if i < skip_to:
            continue
        c = raw[i]
        if in_string:
            if c == 0x5C:  # a backslash escapes the next character, even a quote
                skip_to = i + 2
            elif c == 0x22:
                in_string = False
        elif c == 0x22:
            in_string = True
        elif c in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > stop_after:
                break
        elif c in (0x5D, 0x7D):
            depth -= 1
    return deepest


def check_text(value: str, where: str) -> None:
    """400 unless ``value`` is text we can store and send: no NUL, no lone surrogate."""
    if "\x00" in value:
        raise BadRequest(f"{where} contains a NUL character; remove it and try again")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest(f"{where} contains an invalid character (a lone UTF-16 surrogate, "
                         "which is not text); remove it and try again") from None


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string in a JSON value (keys too), with where it is."""
    if isinstance(value, str):
        yield value, path
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k, f"a key of {path}"
            yield from _strings(v, f"'{k}'" if path == "the body" else f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}[{i}]")


def parse_json(raw: bytes) -> Any:
    """A JSON request body, or a 400 that says what is wrong with it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BadRequest(f"the request body is not valid UTF-8 (byte {e.start}); "
                         "send JSON encoded as UTF-8") from None
    if nesting_depth(raw) > MAX_JSON_DEPTH:
        raise BadRequest(f"the JSON body nests more than {MAX_JSON_DEPTH} levels deep")
    try:
        data = json.loads(text)
    except ValueError as e:
        raise BadRequest(f'the request body is not valid JSON ({e}); send a JSON body like '
                         '{"question": "How many orders are there?"}') from None
    for value, where in _strings(data, "the body"):
        check_text(value, where)
    return data


def _text(raw: bytes, where: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(f"{where} is not valid UTF-8") from None
    check_text(text, where)
    return text


def _check_pairs(encoded: bytes, what: str) -> None:
    """Every name and value of a query string or form body is text."""
    # latin-1 maps bytes to characters one to one: the pairs come back as the
    # exact bytes sent, to be decoded strictly (parse_qsl would replace errors).
    pairs = parse_qsl(encoded.decode("latin-1"), keep_blank_values=True, encoding="latin-1")
    for name, value in pairs:
        field = _text(name.encode("latin-1"), f"a {what} name")
        _text(value.encode("latin-1"), f"the {what} {field!r}")


def check_url() -> None:
    environ = request.environ
    # WSGI passes URL bytes as latin-1 text (PEP 3333): PATH_INFO percent-decoded,
    # QUERY_STRING as sent.
    path = environ.get("PATH_INFO", "").encode("latin-1", "replace")
    query = environ.get("QUERY_STRING", "").encode("latin-1", "replace")
    if len(path) + len(query) > MAX_URL_BYTES:
        raise RequestURITooLarge(f"the URL is longer than {MAX_URL_BYTES} bytes; "
                                 "send long input in a POST body")
    _text(path, "the URL path")
    _check_pairs(query, "query parameter")


def body_bytes() -> bytes:
    """The whole body, or 413. werkzeug stops a body of unannounced length
    (chunked) at MAX_CONTENT_LENGTH without saying so; a cut body must not be parsed."""
    raw = request.get_data(cache=True)
    limit = request.max_content_length
    if request.content_length is None and limit is not None and len(raw) >= limit \
            and request.environ["wsgi.input"].read(1):
        raise RequestEntityTooLarge()
    return raw


def check_body() -> None:
    """JSON and form bodies, read once (within MAX_CONTENT_LENGTH) and kept for the view."""
    if request.is_json:
        raw = body_bytes()
        if raw:
            g.json_body = parse_json(raw)
    elif request.mimetype == _FORM:
        raw = body_bytes()
        _text(raw, "the form body")
        _check_pairs(raw, "form field")


def register(app: Flask) -> None:
    @app.before_request
    def _check_input() -> None:
        check_url()
        check_body()
