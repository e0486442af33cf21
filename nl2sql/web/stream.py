"""Server-Sent Events: progress while the model explores, then the answer.

``POST /api/ask/stream`` (JSON body, what the page uses: it can carry a bearer
token) or ``GET /api/ask/stream?question=...&conversation_id=...`` (for
``EventSource``). Bad input, an unknown conversation and the rate limit are
answered as ordinary JSON errors before the stream starts; once it has
started, failures arrive as an ``error`` event carrying the same envelope.

The agent runs on a bounded pool per app (``NL2SQL_STREAM_WORKERS`` running plus
``NL2SQL_STREAM_WAITING`` queued): a client that opens streams and drops them
must not leave an unbounded number of agent threads behind. A full pool is
answered 503 with ``Retry-After`` before the stream starts.

Events: ``model_started`` {turn}, ``step_started`` {name, args, id},
``step_finished`` {name, args, ok, seconds, error?, id}, ``answer_delta`` {turn,
text} while a streaming model (Gemini) writes, ``answer_reset`` {turn} when that
turn went on to call functions, then exactly one of
``answer`` (the ``POST /api/ask`` object) or ``error`` ({ok, error, status}).
"""

from __future__ import annotations

import json
import logging
import queue
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, request
from flask.blueprints import BlueprintSetupState

from nl2sql.errors import Busy, Nl2SqlError
from nl2sql.metrics import Metrics
from nl2sql.service import Asker, Pending, parse_ask
from nl2sql.web.api import json_body
from nl2sql.web.services import services
from nl2sql.workers import WorkerPool

log = logging.getLogger(__name__)
bp = Blueprint("stream", __name__)

HEARTBEAT_S = 10.0  # a comment line this often keeps proxies from closing an idle stream
_DONE = object()
_EXT = "nl2sql.stream"


@bp.record_once
def _build(state: BlueprintSetupState) -> None:
    # The default eight running matches gunicorn's threads per worker (nl2sql
    # serve): every live stream can run; the queue absorbs questions left running
    # by closed streams.
    settings = services(state.app).runtime.settings
    state.app.extensions[_EXT] = WorkerPool(settings.stream_workers, settings.stream_waiting,
                                            name="nl2sql-stream")


def stream_pool(app: Flask) -> WorkerPool:
    """The app's pool of agent threads for streams."""
    pool: WorkerPool = app.extensions[_EXT]
    return pool


def sse(name: str, data: dict[str, Any]) -> str:
    # json.dumps never emits a raw newline, so one data: line is always enough.
    return f"event: {name}\ndata: {json.dumps(data, default=str)}\n\n"


def _work(asker: Asker, metrics: Metrics, pending: Pending, out: queue.Queue[Any]) -> None:
    try:
        out.put(("answer", asker.run(pending, on_event=lambda ev: out.put((ev["event"], ev)))))
    except Nl2SqlError as e:
        metrics.count_error(e.status, type(e).__name__)
        log.warning("error", extra={"fields": {"request_id": pending.request_id,
                                               "user": pending.user, "status": e.status,
                                               "kind": type(e).__name__, "error": e.message}})
        out.put(("error", e.to_dict()))
    except Exception as e:  # noqa: BLE001 - the stream must end with an event, not a traceback
        metrics.count_error(500, type(e).__name__)
        log.exception("unhandled error", extra={"fields": {"request_id": pending.request_id}})
        out.put(("error", {"ok": False, "error": "internal error", "status": 500}))
    finally:
        out.put(_DONE)


def _events(out: queue.Queue[Any]) -> Iterator[str]:
    yield ": stream open\n\n"
    while True:
        try:
            item = out.get(timeout=HEARTBEAT_S)
        except queue.Empty:
            yield ": keep-alive\n\n"
            continue
        if item is _DONE:
            return
        name, data = item
        yield sse(name, {k: v for k, v in data.items() if k != "event"})


@bp.route("/api/ask/stream", methods=["GET", "POST"])
def ask_stream() -> Any:
    payload = json_body() if request.method == "POST" else request.args.to_dict()
    question, conversation_id = parse_ask(payload)
    s = services()
    pending = s.asker.prepare(g.user, question, conversation_id, interface="web",
                              request_id=g.request_id, rate_key=g.rate_key)
    out: queue.Queue[Any] = queue.Queue()
    # The agent runs on a pool thread so events flow while it works; if the
    # client goes away the answer is still finished and saved.
    if stream_pool(current_app).submit(lambda: _work(s.asker, s.metrics, pending, out)) is None:
        raise Busy("the service is answering many questions right now; try again shortly",
                   retry_after_s=5)
    return Response(_events(out), mimetype="text/event-stream", headers={
        "Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
