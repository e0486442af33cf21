"""File destination: the result as CSV or JSON in a directory.

Names are ``<report>-<slot>.<ext>`` so a directory of daily runs sorts by time
and a retried delivery overwrites its own file instead of adding a copy. A
failure notice is ``<report>-<slot>.failed.json`` next to where the data would
have been.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nl2sql.reports.delivery.base import DeliveryError
from nl2sql.reports.result import ReportResult, write_atomic


def target_dir(options: dict[str, Any], base_dir: str) -> Path:
    path = Path(options["dir"]).expanduser()
    return path if path.is_absolute() else Path(base_dir or ".") / path


def send(options: dict[str, Any], result: ReportResult, base_dir: str) -> Path:
    """Write the file; returns its path."""
    directory = target_dir(options, base_dir)
    stem = f"{result.report}-{result.slot_stamp}"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        if not result.ok:
            path = directory / f"{stem}.failed.json"
            notice = {k: result.to_dict()[k] for k in
                      ("report", "question", "slot", "status", "error", "sql", "started_at")}
            write_atomic(path, json.dumps(notice, indent=1).encode("utf-8"))
        elif options.get("format", "csv") == "json":
            path = directory / f"{stem}.json"
            data = json.dumps(result.to_dict(), ensure_ascii=False, default=str, indent=1)
            write_atomic(path, data.encode("utf-8"))
        else:
            path = directory / f"{stem}.csv"
            write_atomic(path, result.csv_bytes())
    except OSError as e:
        raise DeliveryError(f"cannot write to {str(directory)!r}: {e.strerror or e}") from None
    return path
