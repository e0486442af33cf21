"""A live HTTP server for the app in a background thread (werkzeug, threaded),
for browser tests: the page needs a real origin to fetch and stream from."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from werkzeug.serving import make_server


@contextmanager
def serve(app: Flask, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``app`` on a free port; yields the base URL."""
    server = make_server(host, 0, app, threaded=True)
    # Join request threads on close, so nothing still uses the app's warehouse
    # when the test closes it.
    server.daemon_threads = False  # type: ignore[attr-defined]
    server.block_on_close = True  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, name="live-app", daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
