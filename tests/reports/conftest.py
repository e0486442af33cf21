"""Real peers for report delivery: an SMTP server (aiosmtpd) and a Slack-webhook
receiver that can fail on demand, both on 127.0.0.1; plus a small warehouse."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from nl2sql.config import Settings
from nl2sql.reports.store import STALE_AFTER_S
from nl2sql.state.db import StateDB
from tests.shop import build_shop


class WebhookReceiver:
    """A stand-in for hooks.slack.com: records JSON posts; ``fail_next(n)``
    answers the next n with an error, like an outage."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.hits = 0  # every request, failed ones included
        self.on_post: Callable[[], None] | None = None  # runs as each request arrives
        self._fail = 0
        self._status = 500
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver.on_post is not None:
                    receiver.on_post()
                with receiver._lock:
                    receiver.hits += 1
                    failing = receiver._fail > 0
                    if failing:
                        receiver._fail -= 1
                    else:
                        receiver.posts.append(json.loads(body))
                status, text = (receiver._status, "internal_error") if failing else (200, "ok")
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text.encode())

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/services/T000/B000/XXXX"
        self._thread = threading.Thread(target=self.server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def fail_next(self, n: int, status: int = 500) -> None:
        with self._lock:
            self._fail, self._status = n, status

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Mailbox:
    """What the SMTP server received."""

    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        msg = email.message_from_bytes(envelope.original_content or envelope.content,
                                       policy=email.policy.default)
        self.messages.append(msg)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"


def expire_heartbeats(state_db: Path | str, run_id: int | None = None) -> None:
    """Age the heartbeat of a run (every run without ``run_id``) past the stale
    limit, as an owner that crashed would leave it: in the file, as another
    process would see it."""
    db = StateDB(state_db)
    try:
        db.execute("UPDATE report_runs SET heartbeat = ? WHERE id = ? OR ?",
                   (time.time() - STALE_AFTER_S - 1, run_id or 0, run_id is None))
    finally:
        db.close()


def _free_port() -> int:
    # aiosmtpd's Controller needs a concrete port to probe readiness.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    from aiosmtpd.controller import Controller

    box = Mailbox()
    port = _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


@pytest.fixture
def shop_db(tmp_path: Path) -> Path:
    return build_shop(tmp_path)


@pytest.fixture
def report_settings(tmp_path: Path, shop_db: Path, smtp: tuple[Mailbox, int]) -> Settings:
    return Settings(warehouse=f"duckdb:///{shop_db}", model="offline",
                    state_db=str(tmp_path / "state" / "state.sqlite3"),
                    smtp_url=f"smtp://127.0.0.1:{smtp[1]}", smtp_from="reports@example.com",
                    reports=str(tmp_path / "reports.yaml"))


COUNT_SQL = "SELECT COUNT(*) AS purchases FROM shop.purchases"
BY_STATUS_SQL = ("SELECT status, COUNT(*) AS n FROM shop.purchases GROUP BY status "
                 "ORDER BY status")


def definitions(*reports: str) -> str:
    """A definitions file from report bodies (YAML fragments indented by four)."""
    return "reports:\n" + "".join(reports)


def report_yaml(name: str, *, sql: str | None = BY_STATUS_SQL, schedule: str = "0 8 * * *",
                timezone: str = "Europe/Lisbon", deliver: str = "") -> str:
    lines = [f"  - name: {name}", "    question: How many purchases per status?"]
    if sql:
        lines.append(f"    sql: {sql}")
    lines += [f'    schedule: "{schedule}"', f"    timezone: {timezone}", "    deliver:"]
    lines += [f"      {d}" for d in deliver.strip().splitlines()]
    return "\n".join(lines) + "\n"


@pytest.fixture
def tls_cert(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, trusted by this test's TLS clients."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=1))
            .not_valid_after(now + dt.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    # ssl.create_default_context() reads SSL_CERT_FILE: how an operator trusts
    # an internal CA, and how this test trusts its own certificate.
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_path))
    return cert_path, key_path
