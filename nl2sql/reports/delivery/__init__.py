"""Destinations: where a report's result (or failure notice) goes.

Each destination module has one ``send(options, result, context)`` that either
returns (delivered) or raises. Retries, backoff and bookkeeping live in the
runner, so every destination gets the same guarantees.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nl2sql.config import Settings
from nl2sql.errors import Nl2SqlError
from nl2sql.reports.definitions import Destination
from nl2sql.reports.result import ReportResult


class DeliveryError(Nl2SqlError):
    """A destination refused the message or could not be reached."""

    status = 502


@dataclass(frozen=True)
class DeliveryContext:
    settings: Settings
    env: Mapping[str, str]  # for ${VAR} and SMTP credentials


def send(destination: Destination, result: ReportResult, context: DeliveryContext) -> None:
    """Deliver ``result`` to ``destination``; raises on failure."""
    options = destination.resolved(context.env)
    if destination.kind == "slack_webhook":
        from nl2sql.reports.delivery import slack

        slack.send(options, result, context)
    elif destination.kind == "email":
        from nl2sql.reports.delivery import mail

        mail.send(options, result, context)
    elif destination.kind == "file":
        from nl2sql.reports.delivery import files

        files.send(options, result, destination.base_dir)
    else:  # the schema rejects other kinds; a store written by a newer version might not
        raise DeliveryError(f"unknown destination kind {destination.kind!r}")
