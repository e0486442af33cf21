"""The page's feedback buttons in headless Chromium: a thumbs down with a comment and
"Mark verified" reach the state store; the console shows no error but the refused verify."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from nl2sql.web.services import services
from tests.web.browser import DESKTOP, Console, chromium
from tests.web.live import serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def test_thumbs_down_with_a_comment_then_verify(browser: Any,
                                                make_app: Callable[..., Flask]) -> None:
    app = make_app()
    knowledge = services(app).runtime.knowledge
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    console = Console()
    console.attach(page)
    with serve(app) as url:
        page.goto(url)
        page.fill("#question", "How many orders are there?")
        page.press("#question", "Enter")
        page.wait_for_selector(".answer .feedback")
        assert page.locator(".feedback .vote-down").get_attribute("aria-pressed") == "false"

        page.click(".feedback .vote-up")
        page.wait_for_selector(".feedback .vote-up[aria-pressed='true']")
        assert page.inner_text(".feedback-status") == "Thanks for the feedback."

        page.click(".feedback .vote-down")
        page.wait_for_selector(".feedback .vote-down[aria-pressed='true']")
        assert page.locator(".feedback .vote-up").get_attribute("aria-pressed") == "false"
        comment = page.locator(".feedback-comment")
        assert comment.is_visible() and page.evaluate(
            "document.activeElement.classList.contains('feedback-comment')")
        comment.fill("It counts cancelled orders")
        page.click(".feedback-form button[type=submit]")
        page.wait_for_selector(".feedback-status:has-text('your comment was sent')")
        assert not comment.is_visible()

        stored = knowledge.feedback.list()  # type: ignore[union-attr]
        assert [(f.vote, f.comment, f.interface) for f in stored] == [
            ("down", "It counts cancelled orders", "web")]

        # The answer was voted down, so it cannot become a verified query: the page says why.
        page.click(".feedback .verify")
        page.wait_for_selector(".feedback-status[role=alert]")
        assert "voted down" in page.inner_text(".feedback-status")
        assert knowledge.candidates("thelook_ecommerce") == [
            q for q in knowledge.candidates("thelook_ecommerce") if q.source != "analyst"]

        page.fill("#question", "How many orders are there by status?")
        page.press("#question", "Enter")
        page.wait_for_selector(".answer >> nth=1")
        second = page.locator(".answer").nth(1)
        second.locator(".verify").click()
        second.locator(".verify:has-text('Verified')").wait_for()
        assert [q.question for q in knowledge.candidates() if q.source == "analyst"] == [
            "How many orders are there by status?"]
    context.close()
    # Chromium logs the refused /verify (the 400 the page turned into a sentence); nothing else.
    assert console.errors == ["console: Failed to load resource: the server responded with a "
                              "status of 400 (BAD REQUEST)"]
