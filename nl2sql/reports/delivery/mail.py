"""Email destination: HTML with the chart inline, plain text, and the CSV attached.

The server comes from ``NL2SQL_SMTP_URL``: ``smtp://host:port`` (STARTTLS when
the server offers it) or ``smtps://host:port`` (TLS from the first byte).
Credentials come from the URL (``smtp://user:pass@host``) or from
``NL2SQL_SMTP_USER`` / ``NL2SQL_SMTP_PASSWORD``. Credentials are never sent
over an unencrypted connection, except to a server on this machine.

The Message-ID is derived from the run, so a retried delivery is recognisably
the same message to mail systems that deduplicate.
"""

from __future__ import annotations

import html
import ipaddress
import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any
from urllib.parse import unquote, urlparse

from nl2sql.errors import ConfigError
from nl2sql.reports.delivery.base import DeliveryContext, DeliveryError
from nl2sql.reports.delivery.chart import chart_png
from nl2sql.reports.result import TABLE_ROWS, ReportResult

log = logging.getLogger(__name__)

TIMEOUT_S = 30
CHART_CID = "chart"


def build_message(result: ReportResult, *, to: list[str], subject: str | None,
                  sender: str) -> EmailMessage:
    # A question written as a YAML block keeps its line breaks, and a header
    # must not contain any: the message could never be built.
    subject = " ".join((subject or f"{result.report}: {result.question}").split())
    msg = EmailMessage()
    msg["Subject"] = subject if result.ok else f"[failed] {subject}"
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Date"] = formatdate(localtime=False)
    domain = sender.rpartition("@")[2] or "localhost"
    # The slot makes the id unique even when run ids start again (a new state
    # database): deduplicating mail systems would drop a reused id silently.
    msg["Message-ID"] = f"<nl2sql.{result.report}.{result.slot_stamp}.{result.run_id}@{domain}>"
    msg["X-Nl2sql-Report"] = result.report
    msg["X-Nl2sql-Slot"] = result.slot

    png = chart_png(result)
    msg.set_content(_plain(result))
    msg.add_alternative(_html(result, with_chart=png is not None), subtype="html")
    if png is not None:
        html_part = msg.get_body(preferencelist=("html",))
        assert html_part is not None  # added just above
        html_part.add_related(png, maintype="image", subtype="png", cid=f"<{CHART_CID}>",
                              filename="chart.png", disposition="inline")
    if result.ok and result.columns:
        msg.add_attachment(result.csv_bytes(), maintype="text", subtype="csv",
                           filename=f"{result.report}-{result.slot_stamp}.csv")
    return msg


def _plain(result: ReportResult) -> str:
    if not result.ok:
        parts = [f"The report {result.report!r} failed for slot {result.slot}.",
                 f"Question: {result.question}", f"Error: {result.error}"]
    else:
        parts = [result.answer, result.summary()]
        if result.columns:
            parts.append(result.text_table(limit=TABLE_ROWS, rest_in="the attached CSV"))
    if result.sql:
        parts.append(f"SQL:\n{result.sql}")
    parts.append(f"Slot {result.slot}")
    return "\n\n".join(parts) + "\n"


def _html(result: ReportResult, *, with_chart: bool) -> str:
    e = html.escape
    body = [f"<h2 style='font-family:sans-serif'>{e(result.report)}</h2>",
            f"<p style='color:#475569'>{e(result.question)}</p>"]
    if not result.ok:
        body.append(f"<p><strong>The run failed.</strong> {e(result.error or '')}</p>")
    else:
        body.append(f"<p style='font-size:16px'>{e(result.answer)}</p>")
        body.append(f"<p style='color:#64748b'>{e(result.summary())}</p>")
        if with_chart:
            body.append(f"<p><img src='cid:{CHART_CID}' alt='chart' style='max-width:100%'></p>")
        if result.columns:
            body.append(_html_table(result))
    if result.sql:
        body.append("<p><strong>SQL</strong></p>"
                    f"<pre style='background:#f1f5f9;padding:8px'>{e(result.sql)}</pre>")
    body.append(f"<p style='color:#94a3b8;font-size:12px'>Slot {e(result.slot)}</p>")
    return "<html><body>" + "\n".join(body) + "</body></html>"


def _html_table(result: ReportResult) -> str:
    cell = "style='border:1px solid #e2e8f0;padding:4px 8px'"
    head = "".join(f"<th {cell}>{html.escape(c)}</th>" for c in result.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td {cell}>{html.escape('' if v is None else str(v))}</td>"
                         for v in row) + "</tr>"
        for row in result.rows[:TABLE_ROWS])
    more = len(result.rows) - TABLE_ROWS
    note = f"<p style='color:#64748b'>{more} more rows in the attached CSV.</p>" if more > 0 else ""
    return (f"<table style='border-collapse:collapse;font-family:sans-serif'>"
            f"<tr>{head}</tr>{rows}</table>{note}")


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _server(context: DeliveryContext) -> tuple[str, str, int, str, str]:
    url = context.settings.smtp_url
    if not url:
        raise ConfigError("email reports need NL2SQL_SMTP_URL (smtp://host:port or smtps://...)")
    parsed = urlparse(url)
    if parsed.scheme not in ("smtp", "smtps") or not parsed.hostname:
        raise ConfigError("NL2SQL_SMTP_URL must look like smtp://host:port or smtps://host:port")
    port = parsed.port or (465 if parsed.scheme == "smtps" else 25)
    user = unquote(parsed.username or "") or context.settings.smtp_user
    password = unquote(parsed.password or "") or context.settings.smtp_password
    return parsed.scheme, parsed.hostname, port, user, password


def send(options: dict[str, Any], result: ReportResult, context: DeliveryContext) -> None:
    scheme, host, port, user, password = _server(context)
    msg = build_message(result, to=list(options["to"]), subject=options.get("subject"),
                        sender=context.settings.smtp_from)
    tls = ssl.create_default_context()
    try:
        smtp: smtplib.SMTP = (smtplib.SMTP_SSL(host, port, timeout=TIMEOUT_S, context=tls)
                              if scheme == "smtps" else smtplib.SMTP(host, port, timeout=TIMEOUT_S))
        with smtp:
            smtp.ehlo()
            encrypted = scheme == "smtps"
            if not encrypted and smtp.has_extn("starttls"):
                smtp.starttls(context=tls)
                smtp.ehlo()
                encrypted = True
            if user:
                if not encrypted and not _loopback(host):
                    raise DeliveryError(f"refusing to send SMTP credentials to {host} without "
                                        "TLS; use smtps:// or a server that offers STARTTLS")
                smtp.login(user, password)
            refused = smtp.send_message(msg)
    except smtplib.SMTPException as e:
        raise DeliveryError(f"SMTP {host}:{port}: {e}") from None
    except OSError as e:
        raise DeliveryError(f"SMTP {host}:{port} unreachable: {e}") from None
    if refused:
        # Some recipients were accepted: failing the delivery would make the
        # retry send them a second copy, so a partial refusal is logged instead.
        log.warning("report %s: SMTP %s refused %s", result.report, host, ", ".join(refused))
