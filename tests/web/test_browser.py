"""The page in headless Chromium: ask, watch progress, read the answer, follow up,
download the CSV, see errors. The console must stay free of errors."""

from __future__ import annotations

import csv
import io
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from nl2sql.models.base import ModelTurn, Request
from nl2sql.models.scripted import ScriptedModel, text
from tests.web.browser import DESKTOP, PHONE, Console, chromium
from tests.web.fakes import AnalystModel
from tests.web.live import serve
from tests.web.servers import ROOT, gunicorn, http

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class SlowAnalyst(AnalystModel):
    """Thinks for a moment each turn, so progress is visible."""

    def generate(self, request: Request) -> ModelTurn:
        time.sleep(0.3)
        return super().generate(request)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture
def site(make_app: Callable[..., Flask]) -> Iterator[str]:
    with serve(make_app(model=SlowAnalyst())) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    console = Console()
    console.attach(page)
    page.console = console
    yield page
    context.close()
    assert console.errors == []


def ask(page: Any, question: str) -> None:
    page.fill("#question", question)
    page.press("#question", "Enter")


def test_ask_then_table_chart_sql_steps_and_csv(page: Any, site: str) -> None:
    page.goto(site)
    page.wait_for_selector("#examples .example")
    assert page.locator("#datasets").inner_text().startswith("thelook_ecommerce")
    ask(page, "How many orders were placed each month?")
    # Progress while the model works: steps appear, then turn into ticks.
    page.wait_for_selector(".progress-steps li")
    assert page.locator(".progress").get_attribute("aria-busy") == "true"
    answer = page.wait_for_selector(".answer")
    assert "Here are 24 rows" in answer.inner_text()
    # Screen readers hear the answer (the live progress card is gone by now).
    announced = page.locator("#announcer[role=status]").text_content()
    assert announced.startswith("Answer: Here are 24 rows")
    bubble = page.locator(".question-bubble").inner_text()
    assert bubble == "How many orders were placed each month?"
    assert page.input_value("#question") == ""

    # The chart: the server's SVG, loaded.
    img = page.wait_for_selector(".chart img[src^='blob:']")
    page.wait_for_function("document.querySelector('.chart img').naturalWidth > 0")
    assert img.get_attribute("alt") == "Line chart of orders over month"

    # The table: 10 rows a page, numbers right-aligned and formatted, sortable.
    rows = page.locator("table.results tbody tr")
    assert rows.count() == 10
    assert page.locator(".pager-status").inner_text() == "Rows 1–10 of 24"
    first_cell = page.locator("table.results tbody tr >> nth=0 >> td >> nth=0")
    assert first_cell.inner_text() == "2023-01-01"  # midnight timestamps shown as dates
    page.click("text=Next")
    assert page.locator(".pager-status").inner_text() == "Rows 11–20 of 24"
    page.click("th:has-text('orders') button")
    assert page.locator("th:has-text('orders')").get_attribute("aria-sort") == "descending"
    counts = [int(c) for c in page.locator("table.results tbody td.num").all_inner_texts()]
    assert counts == sorted(counts, reverse=True) and len(counts) == 10

    # The SQL, highlighted and copyable.
    sql = page.locator("pre.sql")
    assert sql.inner_text().startswith("SELECT DATE_TRUNC")
    assert page.locator("pre.sql .kw").first.inner_text() == "SELECT"
    page.click("button[aria-label='Copy SQL']")
    page.wait_for_selector("button[aria-label='Copy SQL']:has-text('Copied')")
    assert page.evaluate("navigator.clipboard.readText()") == sql.inner_text()
    assert page.inner_text("#announcer") == "SQL copied to the clipboard"  # screen readers

    # The steps, expandable.
    steps = page.locator("details.steps")
    assert steps.locator("summary").inner_text().startswith("3 steps")
    steps.locator("summary").click()
    assert steps.locator("li").count() == 3 and "get_table" in steps.inner_text()

    # The CSV: the full result.
    link = page.locator("a.csv-link")
    assert link.get_attribute("href").endswith(".csv")
    with page.expect_download() as download:
        link.click()
    lines = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert lines[0] == ["month", "orders"] and len(lines) == 25


def test_follow_up_and_new_conversation(page: Any, site: str) -> None:
    page.goto(site)
    ask(page, "How many orders are there?")
    page.wait_for_selector(".answer .big-number")
    assert page.locator(".big-number .value").inner_text() == "1,500"
    first_hash = page.evaluate("location.hash")
    assert first_hash.startswith("#c=")
    assert page.get_attribute("#question", "placeholder") == "Ask a follow-up question…"

    ask(page, "And only the Complete ones?")
    page.wait_for_selector("li.turn:nth-child(2) .answer")
    second = page.locator("li.turn:nth-child(2) .answer")
    assert "complete orders" in second.inner_text()
    assert "WHERE status = 'Complete'" in second.locator("pre.sql").inner_text()
    assert page.evaluate("location.hash") == first_hash  # same conversation

    # A reload brings the conversation back from the API.
    page.reload()
    page.wait_for_selector("li.turn:nth-child(2) .answer")
    assert page.locator("#intro").is_hidden()

    page.click("#new-conversation")
    assert page.locator("li.turn").count() == 0 and page.evaluate("location.hash") == ""
    assert page.locator("#intro").is_visible()
    page.click("#examples .example >> nth=1")
    page.wait_for_selector(".answer")
    assert page.locator("li.turn").count() == 1


def test_errors_are_shown_clearly(page: Any, site: str) -> None:
    page.goto(site)
    ask(page, "Is the model down?")
    error = page.wait_for_selector(".card.error[role=alert]")
    assert "the language model is unavailable (test)" in error.inner_text()
    assert "Try again in a minute" in error.inner_text()
    # The page recovers: the next question works.
    ask(page, "How many orders are there?")
    page.wait_for_selector(".answer .big-number")


def test_a_question_that_could_not_be_sent_is_given_back(page: Any, site: str) -> None:
    """The server is gone: say so in plain words and keep the question for a retry."""
    page.goto(site)
    page.wait_for_selector("#examples .example")
    page.route("**/api/ask/stream", lambda route: route.abort("connectionrefused"))
    ask(page, "How many orders are there?")
    error = page.wait_for_selector(".card.error[role=alert]")
    assert "the server could not be reached" in error.inner_text()
    assert "Failed to fetch" not in error.inner_text()
    assert page.input_value("#question") == "How many orders are there?"
    page.unroute("**/api/ask/stream")
    page.press("#question", "Enter")  # one key to try again
    page.wait_for_selector(".answer .big-number")
    assert page.input_value("#question") == ""
    assert all("ERR_CONNECTION_REFUSED" in e for e in page.console.errors)
    page.console.errors.clear()


def test_keyboard_focus_is_never_hidden_under_the_header_or_composer(page: Any,
                                                                     site: str) -> None:
    page.goto(site)
    ask(page, "How many orders by status?")
    page.wait_for_selector(".answer .results")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.focus("#new-conversation")
    hidden = []
    for _ in range(12):
        page.keyboard.press("Tab")
        hidden += page.evaluate("""() => {
            const el = document.activeElement;
            if (el === document.body || el.closest('.topbar, .composer, .skip-link')) return [];
            const r = el.getBoundingClientRect();
            const top = document.querySelector('.topbar').getBoundingClientRect().bottom;
            const bottom = document.querySelector('.composer').getBoundingClientRect().top;
            return r.top < top || r.bottom > bottom ? [el.outerHTML.slice(0, 80)] : [];
        }""")
    assert hidden == []


def test_a_column_of_amounts_shares_two_decimals(page: Any, site: str) -> None:
    page.goto(site)
    page.wait_for_selector("#examples .example")
    cells = page.evaluate("""async () => {
        const { resultTable } = await import('/static/js/table.js');
        const block = resultTable(['status', 'avg_price', 'share', 'n'],
            [['Shipped', 53.6, 0.0123, 3], ['Complete', 53.57, 0.5, 4], ['Other', 1200, 0, 5]]);
        return [...block.querySelectorAll('tbody tr')].map(
            (tr) => [...tr.children].map((td) => td.textContent));
    }""")
    assert [row[1] for row in cells] == ["53.60", "53.57", "1,200.00"]
    assert [row[2] for row in cells] == ["0.0123", "0.5", "0"]  # small numbers keep digits
    assert [row[3] for row in cells] == ["3", "4", "5"]


def test_several_q_parameters_are_asked_as_one_conversation(page: Any, site: str) -> None:
    """Links from a Slack follow-up carry the conversation's questions in order."""
    page.goto(f"{site}/?q=How many orders are there?&q=How many orders by status?")
    page.wait_for_selector("li.turn:nth-child(2) .answer .results")
    bubbles = page.locator(".question-bubble").all_inner_texts()
    assert bubbles == ["How many orders are there?", "How many orders by status?"]
    assert page.locator(".card.error").count() == 0
    assert page.evaluate("location.search") == ""  # a reload does not ask again
    assert page.evaluate("location.hash").startswith("#c=")


def test_model_text_is_never_html(browser: Any, make_app: Callable[..., Flask]) -> None:
    evil = '<img src=x onerror="window.pwned=1"> **bold** <script>window.pwned=2</script>'
    app = make_app(model=ScriptedModel(text(evil)))
    with serve(app) as url:
        page = browser.new_page(viewport=DESKTOP)
        console = Console()
        console.attach(page)
        page.goto(url)
        page.wait_for_selector("#examples .example")
        ask(page, "<b>not bold</b>")
        page.wait_for_selector(".answer")
        assert page.locator(".answer-text").inner_text().startswith("<img src=x")
        assert page.locator(".answer-text img, .answer-text script").count() == 0
        assert page.locator(".answer-text strong").inner_text() == "bold"
        assert page.locator(".question-bubble").inner_text() == "<b>not bold</b>"
        assert page.evaluate("window.pwned") is None
        page.close()
        assert console.errors == []


def test_phone_width_and_labels(browser: Any, site: str) -> None:
    page = browser.new_page(viewport=PHONE)
    console = Console()
    console.attach(page)
    page.goto(site)
    page.wait_for_selector("#examples .example")
    ask(page, "How many orders by status?")
    page.wait_for_selector(".chart img[src^='blob:']")
    # Nothing wider than the screen; wide tables scroll inside their own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    unlabeled = page.evaluate("""() => [...document.querySelectorAll(
        'button, a, textarea, input, select')].filter(el => !el.closest('[hidden], dialog')
        && !(el.getAttribute('aria-label') || el.textContent.trim() || el.labels?.length))
        .map(el => el.outerHTML)""")
    assert unlabeled == []
    page.close()
    assert console.errors == []


@pytest.fixture
def screenshot_db(web_db: Path, request: pytest.FixtureRequest) -> Path:
    """The demo warehouse when its generator is there (realistic pictures), else ours."""
    try:
        import nl2sql.warehouse.demo  # noqa: F401
    except ImportError:
        return web_db
    path: Path = request.getfixturevalue("demo_db")
    return path


def test_real_product_under_gunicorn_with_screenshots(browser: Any, screenshot_db: Path,
                                                      tmp_path: Path) -> None:
    """The shipped stack (gunicorn, offline planner, DuckDB): click an example,
    get an answer; screenshots at laptop and phone widths. With
    UPDATE_SCREENSHOTS=1 they are copied to docs/screenshots/."""
    env = {"NL2SQL_WAREHOUSE": f"duckdb:///{screenshot_db}", "NL2SQL_MODEL": "offline",
           "NL2SQL_STATE_DB": str(tmp_path / "state.sqlite3")}
    shots: list[Path] = []
    with gunicorn(env, tmp_path / "gunicorn.log") as url:
        for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page = browser.new_page(viewport=viewport)
            console = Console()
            console.attach(page)
            page.goto(url)
            page.wait_for_selector("#examples .example")
            shots.append(tmp_path / f"{name}-start.png")
            page.screenshot(path=str(shots[-1]))
            # A breakdown (bar chart and table); "by status" has few bars, a good picture.
            examples = page.locator("#examples .example")
            by_status = examples.filter(has_text="by status")
            (by_status if by_status.count() else examples.nth(1)).first.click()
            page.wait_for_selector(".answer .chart img[src^='blob:']")
            page.wait_for_function("document.querySelector('.chart img').naturalWidth > 0")
            page.evaluate("document.querySelector('.turn').scrollIntoView()")
            shots.append(tmp_path / f"{name}.png")
            page.screenshot(path=str(shots[-1]))
            assert page.locator("table.results tbody tr").count() > 0
            assert page.locator("a.csv-link").count() == 1
            if name == "desktop":  # the SQL, the steps opened, the CSV link
                page.click("details.steps summary")
                page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
                shots.append(tmp_path / "desktop-details.png")
                page.screenshot(path=str(shots[-1]))
            page.close()
            assert console.errors == []
    for shot in shots:
        assert shot.stat().st_size > 10_000
        if os.environ.get("UPDATE_SCREENSHOTS"):
            shutil.copy(shot, ROOT / "docs" / "screenshots" / shot.name)


def test_token_prompt_and_links_that_ask(browser: Any, make_app: Callable[..., Flask]) -> None:
    """With NL2SQL_API_TOKENS the page asks for a token once, then everything
    (stream, chart, CSV) carries it; ``/?q=...`` asks straight away."""
    app = make_app(api_tokens=("page-token",))
    with serve(app) as url:
        context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
        page = context.new_page()
        console = Console()
        console.attach(page)
        page.goto(f"{url}/?q=How+many+orders+by+status%3F")
        page.wait_for_selector("#token-dialog[open]")
        page.fill("#token-input", "page-token")
        page.click("#token-form button[type=submit]")
        # The linked question, refused for want of a token, is asked again.
        page.wait_for_selector(".answer .chart img[src^='blob:']")
        assert page.locator("li.turn").count() == 1 and page.locator(".card.error").count() == 0
        assert page.locator(".question-bubble").inner_text() == "How many orders by status?"
        with page.expect_download() as download:
            page.click("a.csv-link")
        assert Path(download.value.path()).read_text().startswith("status,orders")
        assert "?q=" not in page.url
        context.close()
        # The page asked for the token before calling the API: no 401s, no console errors.
        assert console.errors == []


def test_new_conversation_drops_the_answer_in_flight(page: Any, site: str) -> None:
    """An answer that arrives after "New conversation" must not continue, or
    show up in, the new conversation."""
    page.goto(site)
    ask(page, "How many orders are there?")
    page.wait_for_selector(".answer .big-number")
    first_hash = page.evaluate("location.hash")
    ask(page, "And only the Complete ones?")
    page.wait_for_selector(".progress")
    page.click("#new-conversation")
    assert page.locator("li.turn").count() == 0 and page.evaluate("location.hash") == ""
    page.wait_for_timeout(2500)  # SlowAnalyst: the follow-up's answer is done by now
    assert page.locator("li.turn").count() == 0 and page.evaluate("location.hash") == ""
    ask(page, "How many orders are there?")
    page.wait_for_selector(".answer .big-number")
    assert page.evaluate("location.hash") not in ("", first_hash)
    assert page.locator("li.turn").count() == 1


def test_a_conversation_link_survives_a_token_prompt(browser: Any,
                                                     make_app: Callable[..., Flask]) -> None:
    """Opened in a new tab (no token yet), a conversation link waits for the
    token and is then restored, instead of being dropped from the URL."""
    app = make_app(api_tokens=("page-token",))
    first = app.test_client().post("/api/ask", json={"question": "How many orders are there?"},
                                   headers={"Authorization": "Bearer page-token"}).json
    with serve(app) as url:
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        console = Console()
        console.attach(page)
        page.goto(f"{url}/#c={first['conversation_id']}")
        page.wait_for_selector("#token-dialog[open]")
        page.fill("#token-input", "page-token")
        page.click("#token-form button[type=submit]")
        page.wait_for_selector("li.turn .answer .big-number")
        assert page.evaluate("location.hash") == f"#c={first['conversation_id']}"
        ask(page, "And only the Complete ones?")  # a follow-up of the restored conversation
        second = page.wait_for_selector("li.turn:nth-child(2) .answer")
        assert "WHERE status = 'Complete'" in second.inner_text()
        context.close()
        assert console.errors == []


def test_a_conversation_is_kept_when_the_server_cannot_be_reached(page: Any, site: str) -> None:
    page.goto(site)
    ask(page, "How many orders are there?")
    page.wait_for_selector(".answer .big-number")
    conversation = page.evaluate("location.hash")
    page.route("**/api/conversations/*", lambda route: route.abort())
    page.reload()
    error = page.wait_for_selector(".card.error[role=alert]")
    assert "could not be loaded" in error.inner_text()
    assert page.evaluate("location.hash") == conversation  # not thrown away
    page.unroute("**/api/conversations/*")
    page.reload()
    page.wait_for_selector(".answer .big-number")
    # The aborted request is the one console error this test causes.
    assert all("ERR_FAILED" in e for e in page.console.errors)
    page.console.errors.clear()


def test_a_failed_csv_download_says_so(browser: Any, make_app: Callable[..., Flask]) -> None:
    """With a token the CSV is fetched by script; a failure is shown, not thrown."""
    with serve(make_app(api_tokens=("page-token",))) as url:
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        console = Console()
        console.attach(page)
        page.add_init_script("sessionStorage.setItem('nl2sql.token', 'page-token')")
        page.goto(url)
        page.wait_for_selector("#examples .example")
        ask(page, "How many orders by status?")
        page.wait_for_selector("a.csv-link")
        page.route("**/*.csv", lambda route: route.fulfill(
            status=503, content_type="application/json",
            body='{"ok": false, "error": "the warehouse is unavailable", "status": 503}'))
        page.click("a.csv-link")
        notice = page.wait_for_selector(".csv-error[role=alert]")
        assert "the warehouse is unavailable" in notice.inner_text()
        context.close()
        assert [e for e in console.errors if "503" not in e] == []


def test_keyboard_sorting_and_paging_keep_focus_where_the_user_is(page: Any, site: str) -> None:
    page.goto(site)
    ask(page, "How many orders were placed each month?")
    page.wait_for_selector("table.results")
    header = page.locator("th:has-text('orders') button")
    header.focus()
    page.keyboard.press("Enter")
    assert page.locator("th:has-text('orders')").get_attribute("aria-sort") == "descending"
    # The header is redrawn by the sort; focus stays on it, so Enter again reverses.
    assert page.evaluate("document.activeElement.title") == "Sort by orders"
    page.keyboard.press("Enter")
    assert page.locator("th:has-text('orders')").get_attribute("aria-sort") == "ascending"

    nxt = page.locator(".pager button:has-text('Next')")
    nxt.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # 24 rows: the third page is the last
    assert page.locator(".pager-status").inner_text() == "Rows 21–24 of 24"
    assert nxt.is_disabled()
    # Focus did not fall to <body>: it is on Previous, the way back.
    assert page.evaluate("document.activeElement.textContent") == "Previous"
    page.keyboard.press("Enter")
    assert page.locator(".pager-status").inner_text() == "Rows 11–20 of 24"


def test_the_rate_limit_card_says_when_to_try_again_once(
    browser: Any, make_app: Callable[..., Flask]
) -> None:
    with serve(make_app(model=AnalystModel(), rate_limit="1/hour")) as url:
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        try:
            page.goto(url)
            ask(page, "How many orders are there?")
            page.wait_for_selector(".answer")
            ask(page, "How many orders are there?")
            card = page.wait_for_selector(".card.error[role=alert]").inner_text()
            assert card.lower().count("try again in") == 1, card
            assert "minute" in card  # a time a person reads, e.g. "59 minutes 59 seconds"
            assert page.input_value("#question") == "How many orders are there?"
        finally:
            context.close()


def test_the_reading_is_shown_above_the_numbers(page: Any, site: str) -> None:
    page.goto(site)
    ask(page, "How many orders were placed each month?")
    answer = page.wait_for_selector(".answer")
    reading = page.locator(".answer details.reading")
    summary = reading.locator("summary").inner_text()
    assert summary.startswith("Read as") and len(summary) > len("Read as ")
    # Above the chart and the table: read before the number is trusted.
    order = page.evaluate("""() => [...document.querySelectorAll(
        '.answer details.reading, .answer .chart, .answer table.results')].map(e => e.tagName)""")
    assert order[0] == "DETAILS" and len(order) == 3
    reading.locator("summary").click()
    parts = dict(zip(reading.locator("dt").all_inner_texts(),
                     reading.locator("dd").all_inner_texts(), strict=True))
    assert "Measure" in parts and "Grouped by" in parts
    assert "The SQL that ran is below." in answer.inner_text()


def test_a_truncated_result_says_so_on_the_chart_and_when_sorting(
    browser: Any, make_app: Callable[..., Flask]
) -> None:
    with serve(make_app(model=AnalystModel(), max_rows=5)) as url:
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        try:
            page.goto(url)
            with page.expect_response(lambda r: "/chart.svg" in r.url) as chart:
                ask(page, "How many orders were placed each month?")
            notice = page.wait_for_selector(".answer .truncated-notice").inner_text()
            assert notice.startswith("Showing the first 5 rows")
            assert "chart and sorting cover only these" in notice
            header = page.locator("th:has-text('orders') button")
            assert header.get_attribute("title") == "Sort the 5 rows shown by orders"
            # The chart itself carries the notice (it is also sent to Slack and email).
            status, _, svg = http("GET", chart.value.url)
            assert status == 200 and b"Only the first 5 rows" in svg
        finally:
            context.close()
