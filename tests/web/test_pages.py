"""The page is served from our origin: no CDN, strict CSP, safe DOM building."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from nl2sql.web.pages import frontend_dir


def test_index_and_assets(client: FlaskClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.mimetype == "text/html"
    html = r.get_data(as_text=True)
    assert '<label for="question"' in html and 'id="ask-form"' in html
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        assert client.get(asset).status_code == 200, asset
    js = client.get("/static/js/app.js")
    assert js.mimetype in ("text/javascript", "application/javascript")
    assert client.get("/favicon.ico").mimetype == "image/svg+xml"
    assert client.get("/static/../nl2sql/web/api.py").status_code == 404


def test_no_external_urls_in_the_frontend() -> None:
    for path in frontend_dir().rglob("*"):
        if path.is_file():
            text = path.read_text()
            urls = re.findall(r"https?://[^\s\"')]+", text)
            assert all(u.startswith("http://www.w3.org/") for u in urls), (path, urls)


def test_no_html_parsing_sinks_in_the_scripts() -> None:
    """Model and warehouse text must never be parsed as HTML."""
    sinks = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|"
                       r"new Function")
    for path in (frontend_dir() / "js").glob("*.js"):
        assert not sinks.search(path.read_text()), path
