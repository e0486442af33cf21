"""Versioned schema migrations of the state database, for SQLite and PostgreSQL.

A small table ``schema_migrations`` records the versions applied; ``upgrade``
applies the missing ones in order, each in one transaction (both databases
have transactional DDL), under the write lock (SQLite) or an advisory lock
(PostgreSQL) so instances starting together do not race. Why not Alembic: the
schema is a dozen small tables written in the SQL both databases share, and
migrations must run in-process on first use as well as from
``nl2sql db upgrade``; a version table and a list is all that needs.

Statements are written once with three placeholders filled per dialect:
``{float}`` (epoch seconds need a double, PostgreSQL's REAL is 4 bytes),
``{id}`` (an auto-increment primary key) and ``{seq}`` (an insertion order
column: SQLite has ``rowid``). Version 1 uses ``IF NOT EXISTS`` so SQLite files
made before migrations existed are adopted as they are. Append new versions;
never edit a released one.
"""

from __future__ import annotations

import time
from typing import Any

# ``db`` is a StateDB and ``tx`` its Tx; not imported, as StateDB imports us.
StateDB = Any
Tx = Any

DIALECT = {
    "sqlite": {"float": "REAL", "id": "INTEGER PRIMARY KEY", "seq": ""},
    "postgresql": {"float": "DOUBLE PRECISION", "id": "BIGSERIAL PRIMARY KEY",
                   "seq": ", seq BIGSERIAL"},
}

V1 = [
    # conversations and answers (nl2sql.state.conversations)
    """CREATE TABLE IF NOT EXISTS conversations (
        id TEXT PRIMARY KEY, "user" TEXT NOT NULL, interface TEXT NOT NULL,
        created_at {float} NOT NULL, updated_at {float} NOT NULL,
        expires_at {float} NOT NULL, messages TEXT NOT NULL)""",
    'CREATE INDEX IF NOT EXISTS conversations_user ON conversations ("user", updated_at)',
    """CREATE TABLE IF NOT EXISTS answers (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        "user" TEXT NOT NULL, created_at {float} NOT NULL, question TEXT NOT NULL,
        sql TEXT, data TEXT NOT NULL{seq})""",
    "CREATE INDEX IF NOT EXISTS answers_conversation ON answers (conversation_id, created_at)",
    # per-user rate limits (nl2sql.ratelimit) and work slots (nl2sql.slots)
    "CREATE TABLE IF NOT EXISTS rate_hits (key TEXT NOT NULL, at {float} NOT NULL)",
    "CREATE INDEX IF NOT EXISTS rate_hits_key ON rate_hits (key, at)",
    """CREATE TABLE IF NOT EXISTS work_slots (
        kind TEXT NOT NULL, holder TEXT NOT NULL, expires {float} NOT NULL,
        PRIMARY KEY (kind, holder))""",
    # feedback and verified queries (nl2sql.knowledge)
    """CREATE TABLE IF NOT EXISTS feedback (
        answer_id TEXT NOT NULL, username TEXT NOT NULL, vote TEXT NOT NULL, comment TEXT,
        interface TEXT NOT NULL, question TEXT, created_at {float} NOT NULL,
        PRIMARY KEY (answer_id, username))""",
    "CREATE INDEX IF NOT EXISTS feedback_created ON feedback (created_at)",
    """CREATE TABLE IF NOT EXISTS verified_queries (
        id TEXT PRIMARY KEY, dataset TEXT NOT NULL, question TEXT NOT NULL,
        sql_text TEXT NOT NULL, source TEXT NOT NULL, answer_id TEXT,
        created_by TEXT NOT NULL, created_at {float} NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS verified_queries_dataset ON verified_queries (dataset)",
    # report runs and deliveries (nl2sql.reports.store)
    """CREATE TABLE IF NOT EXISTS report_runs (
        id {id}, report TEXT NOT NULL, slot TEXT NOT NULL, trigger TEXT NOT NULL,
        status TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
        owner TEXT NOT NULL, heartbeat {float} NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 1, sql TEXT, rows INTEGER, bytes BIGINT,
        error TEXT, result_path TEXT, UNIQUE (report, slot))""",
    """CREATE TABLE IF NOT EXISTS report_deliveries (
        id {id}, run_id INTEGER NOT NULL REFERENCES report_runs (id),
        position INTEGER NOT NULL, destination TEXT NOT NULL, label TEXT NOT NULL,
        status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
        rounds INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT, lease_until {float},
        delivered_at TEXT, error TEXT, UNIQUE (run_id, position))""",
    "CREATE INDEX IF NOT EXISTS report_deliveries_retry"
    " ON report_deliveries (status, next_attempt_at)",
]

V2 = [
    # Metrics moved to prometheus_client (nl2sql.metrics): no rows per request.
    "DROP TABLE IF EXISTS metrics",
]

V3 = [
    # A run's result kept with the run: a delivery retried by another instance (or a
    # Cloud Run Job execution with a fresh disk) reads it from here, not a local file.
    "ALTER TABLE report_runs ADD COLUMN result TEXT",
]

#: (version, what it does, statements)
MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (1, "conversations, answers, rate limits, work slots, feedback, verified queries, "
        "report runs", V1),
    (2, "drop the metrics table (metrics live in prometheus_client)", V2),
    (3, "report run results kept in the database", V3),
]
HEAD = MIGRATIONS[-1][0]

_TRACK = ("CREATE TABLE IF NOT EXISTS schema_migrations ("
          "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at {float} NOT NULL)")


def current(db: StateDB) -> int:
    """The newest version applied (0 for an empty database)."""
    with db.tx(lock="nl2sql:migrations") as tx:
        return _current(tx)


def _current(tx: Tx) -> int:
    tx.execute(_TRACK.format(**DIALECT[tx.dialect]))
    row = tx.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(row[0]) if row is not None and row[0] is not None else 0


def upgrade(db: StateDB) -> list[int]:
    """Apply the missing migrations; returns the versions applied now."""
    applied: list[int] = []
    for version, description, statements in MIGRATIONS:
        with db.tx(lock="nl2sql:migrations") as tx:
            if _current(tx) >= version:
                continue
            for statement in statements:
                tx.execute(statement.format(**DIALECT[tx.dialect]))
            tx.execute("INSERT INTO schema_migrations (version, description, applied_at)"
                       " VALUES (?, ?, ?)", (version, description, time.time()))
            applied.append(version)
    return applied
