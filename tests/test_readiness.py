"""The state database checks behind GET /readyz, on real SQLite files."""

from __future__ import annotations

import os
from pathlib import Path

from nl2sql.ratelimit import RateLimiter
from nl2sql.readiness import check_integrity, check_state
from nl2sql.state.db import StateDB

PAGE = 4096


def filled(path: Path) -> StateDB:
    db = StateDB(path)
    limiter = RateLimiter("100000/minute", db)
    for i in range(3000):
        limiter.hit(f"user-{i}")
    db.fetch("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
    return db


def test_a_healthy_file_is_ready_and_takes_the_probe_write(tmp_path: Path) -> None:
    db = filled(tmp_path / "state.sqlite3")
    assert check_state(db.path) is None and check_integrity(db.path) is None
    assert db.fetch("SELECT count(*) FROM readiness_probe")[0][0] == 1


def test_damaged_pages_are_not_ready_though_an_open_connection_still_reads(
        tmp_path: Path) -> None:
    db = filled(tmp_path / "state.sqlite3")
    size = os.path.getsize(db.path)
    with open(db.path, "r+b") as f:  # every page but the header page
        for page in range(1, size // PAGE):
            f.seek(page * PAGE)
            f.write(os.urandom(PAGE))
    problem = check_state(db.path) or check_integrity(db.path)
    assert problem is not None and "state database" in problem
    assert str(tmp_path) not in problem


def test_garbage_is_not_ready(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"not a database" * 1000)
    problem = check_state(str(path))
    assert problem is not None and "not a database" in problem and str(tmp_path) not in problem
