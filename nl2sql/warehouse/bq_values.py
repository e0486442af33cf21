"""BigQuery values, types and job labels in the shapes the rest of nl2sql uses.

The official client already decodes cells into Python values (NUMERIC and
BIGNUMERIC as ``Decimal``, DATE/DATETIME/TIME/TIMESTAMP as ``datetime``
objects, BYTES as ``bytes``, ARRAY as lists, STRUCT and RANGE as dicts, JSON
parsed, GEOGRAPHY as WKT text, INTERVAL as ``relativedelta``); ``json_value``
makes each of them JSON-safe with the shared ``json_safe`` rules.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

from dateutil.relativedelta import relativedelta

from nl2sql.warehouse.values import json_safe

# -- values ----------------------------------------------------------------------


def json_value(value: Any) -> Any:
    """One decoded BigQuery cell as a JSON-safe value.

    >>> json_value(relativedelta(years=1, months=2, days=3, hours=4))
    '1-2 3 4:0:0'
    >>> json_value({"n": __import__("decimal").Decimal("1.5"), "tags": [b"hi"]})
    {'n': 1.5, 'tags': ['aGk=']}
    """
    if isinstance(value, relativedelta):
        return interval_text(value)
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    return json_safe(value)


def interval_text(iv: relativedelta) -> str:
    """An INTERVAL in BigQuery's canonical ``Y-M D H:M:S[.F]`` form."""
    months = iv.years * 12 + iv.months
    micros = ((iv.hours * 60 + iv.minutes) * 60 + iv.seconds) * 1_000_000 + iv.microseconds
    ym_sign = "-" if months < 0 else ""
    t_sign = "-" if micros < 0 else ""
    months, micros = abs(months), abs(micros)
    secs, frac = divmod(micros, 1_000_000)
    mins, s = divmod(secs, 60)
    h, m = divmod(mins, 60)
    text = f"{ym_sign}{months // 12}-{months % 12} {iv.days} {t_sign}{h}:{m}:{s}"
    return text + (f".{frac:06d}".rstrip("0") if frac else "")


# -- types -----------------------------------------------------------------------

# Legacy names the API still returns, shown as the GoogleSQL names the model writes.
_TYPE_NAMES = {
    "INTEGER": "INT64", "FLOAT": "FLOAT64", "BOOLEAN": "BOOL", "RECORD": "STRUCT",
}


def sql_type(field_type: str | None) -> str:
    """``INTEGER`` → ``INT64``, ``RECORD`` → ``STRUCT``; others unchanged."""
    name = (field_type or "").upper()
    return _TYPE_NAMES.get(name, name)


# -- job labels ------------------------------------------------------------------

APP_LABEL = "nl2sql"
MAX_LABELS = 64
_LABEL_MAX_LEN = 63
_PERSONAL_KEYS = {"user", "user_id", "email"}  # hashed, never sent as given
_NOT_LABEL_CHARS = re.compile(r"[^a-z0-9_-]+")


def hash_user(user: str) -> str:
    """A stable pseudonym for a user id: the first 16 hex digits of its SHA-256.

    >>> hash_user("ada@example.com")
    'b5fc85e55755f9e0'
    """
    return hashlib.sha256(user.encode("utf-8")).hexdigest()[:16]


def label_text(text: str) -> str:
    """Text shaped to BigQuery's label rules: lowercase letters, digits, ``_``, ``-``,
    at most 63 characters.

    >>> label_text("Slack Bot/v2")
    'slack_bot_v2'
    """
    return _NOT_LABEL_CHARS.sub("_", text.strip().lower())[:_LABEL_MAX_LEN]


def job_labels(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Labels for every job: ``app=nl2sql`` plus the caller's (interface, hashed user…).

    >>> job_labels({"interface": "CLI", "user": "ada@example.com"})
    {'app': 'nl2sql', 'interface': 'cli', 'user': 'b5fc85e55755f9e0'}
    """
    labels = {"app": APP_LABEL}
    for raw_key, raw_value in (extra or {}).items():
        key = label_text(str(raw_key))
        value = str(raw_value if raw_value is not None else "")
        if key in _PERSONAL_KEYS:
            key, value = "user", hash_user(value)
        if not key or key == "app" or len(labels) >= MAX_LABELS:
            continue
        if not key[0].isalpha():  # keys must start with a letter
            key = ("k_" + key)[:_LABEL_MAX_LEN]
        labels[key] = label_text(value)
    return labels
