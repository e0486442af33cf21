"""Destinations: where a report's result (or failure notice) goes.

Each destination module has one ``send(options, result, context)`` that either
returns (delivered) or raises. Retries, backoff and bookkeeping live in the
runner, so every destination gets the same guarantees.
"""

from __future__ import annotations

from nl2sql.reports.definitions import Destination
from nl2sql.reports.delivery import files, mail, slack
from nl2sql.reports.delivery.base import DeliveryContext, DeliveryError
from nl2sql.reports.result import ReportResult

__all__ = ["DeliveryContext", "DeliveryError", "send"]


def send(destination: Destination, result: ReportResult, context: DeliveryContext) -> None:
    """Deliver ``result`` to ``destination``; raises on failure."""
    options = destination.resolved(context.env)
    if destination.kind == "slack_webhook":
        slack.send(options, result, context)
    elif destination.kind == "email":
        mail.send(options, result, context)
    elif destination.kind == "file":
        files.send(options, result, destination.base_dir)
    else:  # the schema rejects other kinds; a store written by a newer version might not
        raise DeliveryError(f"unknown destination kind {destination.kind!r}")
