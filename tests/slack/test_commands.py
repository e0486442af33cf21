"""``/ask`` end to end: the app over HTTP, signed requests, answers at a local response_url."""

from __future__ import annotations

import logging
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from nl2sql.agent import UNANSWERED
from nl2sql.config import Settings
from nl2sql.models.base import Message, ModelTurn, Request
from nl2sql.models.scripted import ScriptedModel, calls, text
from nl2sql.runtime import Runtime
from nl2sql.web import create_app
from nl2sql.web.services import services
from tests.slack.conftest import Served
from tests.slack.peers import Peer, SlackApi, command_body, post, running, serve, sign

STATUS_SQL = ("SELECT status, COUNT(*) AS purchases FROM shop.purchases "
              "GROUP BY status ORDER BY status")


def section_texts(payload: dict) -> str:
    """Every text in a Block Kit payload, joined (sections and context elements)."""
    out = []
    for block in payload["blocks"]:
        if "text" in block:
            out.append(block["text"]["text"])
        for e in block.get("elements", []):  # context texts; buttons' text is an object
            t = e.get("text", "")
            out.append(t if isinstance(t, str) else t.get("text", ""))
    return "\n".join(out)


def test_command_is_answered_with_the_right_numbers(
        serve_app: Callable[..., Served], receiver: Peer, shop_db: Path) -> None:
    model = ScriptedModel(calls(("sql_query", {"query": STATUS_SQL})),
                          text("Most purchases are Paid."))
    served = serve_app(model, public_url="https://nl2sql.example.com/")

    ack = served.command("How many purchases by status?", receiver.base + "/hook/1")

    assert ack.status == 200
    assert ack.json() == {"response_type": "ephemeral",
                          "text": "Working on: How many purchases by status?"}
    [posted] = receiver.wait_for(1)
    assert posted.path == "/hook/1"
    payload = posted.json()
    assert payload["response_type"] == "in_channel"
    assert payload["text"] == "Most purchases are Paid."
    with duckdb.connect(str(shop_db), read_only=True) as con:
        expected = con.execute(STATUS_SQL.replace("shop.", "shop.shop.")).fetchall()
    table = next(b["text"]["text"] for b in payload["blocks"]
                 if b["type"] == "section" and b["text"]["text"].startswith("```"))
    lines = table.strip("`").splitlines()
    assert lines[0].split() == ["status", "purchases"]
    assert [tuple(line.split()) for line in lines[2:]] == [
        (status, f"{n:,}") for status, n in expected]
    everything = section_texts(payload)
    assert "<@U0ANALYST> asked: How many purchases by status?" in everything
    assert "*SQL*\n```SELECT status, COUNT(*)" in everything
    assert "Bytes processed:" in everything
    link = "https://nl2sql.example.com/?q=" + urllib.parse.quote("How many purchases by status?")
    assert f"<{link}|" in everything
    # The agent ran with the Slack user as its label.
    assert model.requests[0].history[-1].text == "How many purchases by status?"


def test_response_type_and_link_follow_settings(
        serve_app: Callable[..., Served], receiver: Peer) -> None:
    served = serve_app(ScriptedModel(text("Hello.")), slack_response_type="ephemeral")
    served.command("Say hello", receiver.base)
    payload = receiver.wait_for(1)[0].json()
    assert payload["response_type"] == "ephemeral"
    assert "Open the full result" not in section_texts(payload)  # no NL2SQL_PUBLIC_URL


def test_forged_signature_is_refused_and_triggers_nothing(
        serve_app: Callable[..., Served], receiver: Peer) -> None:
    model = ScriptedModel(text("should never be asked"))
    served = serve_app(model)
    body = command_body("How many purchases?", receiver.base)

    forged = post(f"{served.url}/slack/commands", body, sign(body, secret="not-the-secret"))
    tampered = post(f"{served.url}/slack/commands",
                    body.replace(b"purchases", b"salaries"), sign(body))
    unsigned = post(f"{served.url}/slack/commands", body)

    for reply in (forged, tampered, unsigned):
        assert reply.status == 401
        assert reply.json()["ok"] is False
    served.drain()
    assert receiver.received == [] and model.requests == []


def test_stale_timestamp_is_refused(serve_app: Callable[..., Served], receiver: Peer) -> None:
    model = ScriptedModel(text("should never be asked"))
    served = serve_app(model)
    body = command_body("How many purchases?", receiver.base)
    old = int(time.time()) - 5 * 60 - 30

    # Correctly signed, but replayed from more than five minutes ago.
    reply = post(f"{served.url}/slack/commands", body, sign(body, timestamp=old))

    assert reply.status == 401
    served.drain()
    assert receiver.received == [] and model.requests == []


def test_without_signing_secret_the_endpoint_is_off(
        tmp_path: Path, shop_db: Path, receiver: Peer, caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(warehouse=f"duckdb:///{shop_db}", state_db=str(tmp_path / "s.db"))
    with caplog.at_level(logging.WARNING, logger="nl2sql.slack"):
        app = create_app(runtime=Runtime(settings, model=ScriptedModel()))
    assert "SLACK_SIGNING_SECRET is not set" in caplog.text
    body = command_body("How many purchases?", receiver.base)
    with serve(app) as url:
        assert post(f"{url}/slack/commands", body, sign(body)).status == 404
    assert receiver.received == []


@pytest.mark.parametrize("words", ["", "help", "  HELP "])
def test_empty_text_or_help_answers_with_usage(
        serve_app: Callable[..., Served], receiver: Peer, words: str) -> None:
    model = ScriptedModel()
    served = serve_app(model)
    ack = served.command(words, receiver.base)
    assert ack.status == 200
    reply = ack.json()
    assert reply["response_type"] == "ephemeral"
    assert "Usage: `/ask QUESTION`" in section_texts(reply)
    # The page's example questions, drawn from this warehouse (one definition).
    examples = services(served.app).overview.get()["examples"]
    assert examples and f"• `/ask {examples[0]}`" in section_texts(reply)
    served.drain()
    assert receiver.received == [] and model.requests == []


def test_ssl_check_is_answered_and_does_nothing(
        serve_app: Callable[..., Served], receiver: Peer) -> None:
    model = ScriptedModel()
    served = serve_app(model)
    reply = post(f"{served.url}/slack/commands", b"ssl_check=1&token=gIkuvaNzQIHg97ATvDxqgjtO")
    assert (reply.status, reply.body) == (200, b"")
    assert model.requests == []


def test_question_the_model_cannot_answer_gets_a_friendly_reply(
        serve_app: Callable[..., Served], receiver: Peer) -> None:
    declined = ModelTurn(Message("model", text="The warehouse has no data about the weather."),
                         finish_reason=UNANSWERED)
    served = serve_app(ScriptedModel(declined))
    served.command("Will it rain tomorrow?", receiver.base)
    payload = receiver.wait_for(1)[0].json()
    assert payload["response_type"] == "ephemeral"  # a non-answer stays out of the channel
    assert "no data about the weather" in payload["text"]
    assert "`/ask help`" in payload["text"]


def test_model_failure_becomes_a_message_not_silence(
        serve_app: Callable[..., Served], receiver: Peer) -> None:
    served = serve_app(ScriptedModel())  # no turns: generate() raises ModelError
    served.command("How many purchases?", receiver.base)
    payload = receiver.wait_for(1)[0].json()
    assert payload["text"].startswith("Sorry, the language model is not available right now")


def test_ack_within_three_seconds_while_a_slow_answer_runs(
        serve_app: Callable[..., Served], receiver: Peer) -> None:
    release = threading.Event()

    def slow(request: Request) -> ModelTurn:
        release.wait(20)  # the model is still thinking when the acknowledgement goes
        return text("Finally: 200 purchases.")

    served = serve_app(ScriptedModel(slow))
    ack = served.command("How many purchases?", receiver.base)

    assert ack.status == 200 and ack.json()["text"] == "Working on: How many purchases?"
    assert ack.seconds < 3.0  # Slack's deadline for the acknowledgement
    assert receiver.received == []  # the answer is still being worked on
    release.set()
    [posted] = receiver.wait_for(1, timeout=20)
    assert posted.json()["text"] == "Finally: 200 purchases."


def test_concurrent_commands_are_all_answered_by_a_bounded_pool(
        serve_app: Callable[..., Served], receiver: Peer) -> None:
    running, peak, lock = 0, 0, threading.Lock()
    # Questions are held in pairs: a pool running fewer than two at once
    # breaks the barrier, one running more shows in the peak.
    pairs = threading.Barrier(2)

    def answer_after_a_while(request: Request) -> ModelTurn:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        pairs.wait(10)
        with lock:
            running -= 1
        question = request.history[-1].text or ""
        return text(f"answer to {question}")

    n = 6
    model = ScriptedModel(*[answer_after_a_while] * n)
    served = serve_app(model, slack_workers=2, slack_waiting=n,
                       slack_retry_backoff_s=(0.05,))
    acks: list[int] = []

    def ask(i: int) -> None:
        reply = served.command(f"question {i}", f"{receiver.base}/hook/{i}",
                               user_id=f"U{i}")
        acks.append(reply.status)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert acks == [200] * n
    posted = receiver.wait_for(n, timeout=20)
    assert sorted((p.path, p.json()["text"]) for p in posted) == sorted(
        (f"/hook/{i}", f"answer to question {i}") for i in range(n))
    assert peak == 2  # never more questions at once than workers


def test_full_pool_says_busy_instead_of_queueing_forever(
        serve_app: Callable[..., Served], receiver: Peer) -> None:
    release = threading.Event()

    def blocked(request: Request) -> ModelTurn:
        release.wait(10)
        return text("done")

    served = serve_app(ScriptedModel(blocked),
                       slack_workers=1, slack_waiting=0, slack_retry_backoff_s=())
    first = served.command("first", receiver.base)
    second = served.command("second", receiver.base, user_id="U2")
    release.set()
    assert first.json()["text"] == "Working on: first"
    assert "try again in a minute" in second.json()["text"]
    assert [p.json()["text"] for p in receiver.wait_for(1)] == ["done"]


def test_response_url_failures_are_retried(serve_app: Callable[..., Served]) -> None:
    with running(Peer(fail_first=2)) as flaky:
        served = serve_app(ScriptedModel(text("42 purchases.")))
        served.command("How many purchases?", flaky.base)
        posted = flaky.wait_for(3)
        served.drain()  # the job is done: no fourth post can follow
    assert len(flaky.received) == 3
    assert [p.json()["text"] for p in posted] == ["42 purchases."] * 3


def test_response_url_budget_of_five_posts_is_respected(
        serve_app: Callable[..., Served]) -> None:
    with running(Peer(fail_first=100)) as down:
        served = serve_app(ScriptedModel(text("42 purchases.")),
                           slack_retry_backoff_s=(0.01,) * 9)
        served.command("How many purchases?", down.base)
        down.wait_for(5)
        served.drain()  # the job gave up: no sixth post can follow
    assert len(down.received) == 5


def test_rate_limit_is_per_slack_user(serve_app: Callable[..., Served], receiver: Peer) -> None:
    served = serve_app(ScriptedModel(*[text("ok")] * 3), rate_limit="2/minute")
    replies = [served.command("How many?", receiver.base).json()["text"] for _ in range(3)]
    other = served.command("How many?", receiver.base, user_id="U0OTHER").json()["text"]
    assert replies[:2] == ["Working on: How many?"] * 2
    assert replies[2].startswith("You have asked a lot of questions recently")
    assert other == "Working on: How many?"
    receiver.wait_for(3)


def test_follow_up_continues_the_conversation_per_user(
        serve_app: Callable[..., Served], receiver: Peer) -> None:
    model = ScriptedModel(text("200 purchases."), text("50 of them refunded."),
                          text("Hello other user."))
    served = serve_app(model)
    served.command("How many purchases?", receiver.base)
    receiver.wait_for(1)
    served.command("And how many refunded?", receiver.base)
    receiver.wait_for(2)
    served.command("Hi", receiver.base, user_id="U0OTHER")
    receiver.wait_for(3)

    follow_up = [m.text for m in model.requests[1].history if m.text]
    assert follow_up == ["How many purchases?", "200 purchases.", "And how many refunded?"]
    assert [m.text for m in model.requests[2].history] == ["Hi"]  # another user starts afresh


def test_a_follow_up_links_to_the_whole_conversation(
        serve_app: Callable[..., Served], receiver: Peer) -> None:
    """"And how many refunded?" alone means nothing on the page: the link asks
    the conversation's questions in turn."""
    served = serve_app(ScriptedModel(text("200 purchases."), text("50 of them refunded.")),
                       public_url="https://nl2sql.example.com")
    served.command("How many purchases?", receiver.base)
    receiver.wait_for(1)
    served.command("And how many refunded?", receiver.base)
    second = receiver.wait_for(2)[1].json()
    q = urllib.parse.quote
    link = (f"https://nl2sql.example.com/?q={q('How many purchases?')}"
            f"&amp;q={q('And how many refunded?')}")  # "&" escaped for mrkdwn
    assert f"<{link}|Open the full result in nl2sql>" in section_texts(second)


def test_grouped_result_gets_a_chart_uploaded_with_a_bot_token(
        serve_app: Callable[..., Served], receiver: Peer) -> None:
    with running(SlackApi()) as api:
        served = serve_app(ScriptedModel(calls(("sql_query", {"query": STATUS_SQL})),
                                         text("Most purchases are Paid.")),
                           slack_api_url=api.base + "/api/", slack_bot_token="xoxb-test")
        served.command("Purchases by status?", receiver.base)
        receiver.wait_for(1)
        get_url, upload, complete = api.wait_for(3)
    assert get_url.headers["Authorization"] == "Bearer xoxb-test"
    assert upload.body.startswith(b"\x89PNG") or b"\x89PNG" in upload.body
    fields = urllib.parse.parse_qs(complete.body.decode())
    assert fields["channel_id"] == ["C0DATA"]
    assert receiver.received[0].at <= get_url.at  # the answer goes out first


@pytest.mark.parametrize(("response_type", "sql"), [
    ("ephemeral", STATUS_SQL),  # a private answer's chart must not land in the channel
    ("in_channel", "SELECT COUNT(*) AS n FROM shop.purchases"),  # a lone number: no chart
])
def test_no_chart_for_private_answers_or_single_numbers(
        serve_app: Callable[..., Served], receiver: Peer, response_type: str, sql: str) -> None:
    with running(SlackApi()) as api:
        served = serve_app(ScriptedModel(calls(("sql_query", {"query": sql})), text("ok")),
                           slack_api_url=api.base + "/api/", slack_bot_token="xoxb-test",
                           slack_response_type=response_type)
        served.command("Purchases?", receiver.base)
        receiver.wait_for(1)
        served.app.extensions["nl2sql.slack"].close()  # wait for the job to finish
    assert api.received == []


def test_mentions_in_the_question_are_not_echoed_as_mentions(
        serve_app: Callable[..., Served], receiver: Peer) -> None:
    served = serve_app(ScriptedModel(text("No <!channel> here & there.")))
    ack = served.command("<!channel> how many?", receiver.base)
    assert ack.json()["text"] == "Working on: &lt;!channel&gt; how many?"
    payload = receiver.wait_for(1)[0].json()
    assert "<!channel>" not in str(payload)


def test_overlong_question_is_refused_before_anything_runs(
        serve_app: Callable[..., Served], receiver: Peer) -> None:
    model = ScriptedModel()
    served = serve_app(model)
    ack = served.command("why " * 600, receiver.base)
    assert "please keep it under 2,000" in ack.json()["text"]
    served.drain()
    assert receiver.received == [] and model.requests == []


def test_long_question_with_a_page_link_is_still_answered(
        serve_app: Callable[..., Served], receiver: Peer) -> None:
    """Under the 2,000-character limit, but its ?q= link (percent-encoded) is
    longer than a Block Kit section allows: the answer must still arrive."""
    served = serve_app(ScriptedModel(text("42 purchases.")),
                       public_url="https://nl2sql.example.com")
    question = ("Combien de commandes ont été passées à Zürich et à Genève en été ? "
                * 28).strip()
    assert len(question) < 2000 < 3000 < len(urllib.parse.quote(question))
    served.command(question, receiver.base)
    payload = receiver.wait_for(1)[0].json()
    assert payload["text"] == "42 purchases."
    assert payload["response_type"] == "in_channel"
    assert "42 purchases." in section_texts(payload)  # the full message, less the link
    assert "Open the full result" not in section_texts(payload)


def test_the_answer_log_names_the_slack_user_and_the_request(
        serve_app: Callable[..., Served], receiver: Peer,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="nl2sql")
    served = serve_app(ScriptedModel(text("42 purchases.")))
    body = command_body("How many purchases?", receiver.base)
    post(f"{served.url}/slack/commands", body, {**sign(body), "X-Request-Id": "slack-req-7"})
    receiver.wait_for(1)
    served.app.extensions["nl2sql.slack"].close()  # the job has logged once it is done
    [answer] = [r.fields for r in caplog.records  # type: ignore[attr-defined]
                if r.getMessage() == "answer"]
    assert answer["user"] == "slack:T0TEAM:U0ANALYST" and answer["interface"] == "slack"
    assert answer["request_id"] == "slack-req-7" and answer["question"] == "How many purchases?"
