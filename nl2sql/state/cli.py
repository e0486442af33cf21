"""`nl2sql db`: the state database's schema (docs/state.md)."""

from __future__ import annotations

import click

from nl2sql.config import Settings
from nl2sql.state.db import StateDB, redact
from nl2sql.state.migrations import HEAD, current, upgrade


@click.group("db")
def db() -> None:
    """The state database (NL2SQL_STATE_URL): schema migrations."""


@db.command("upgrade")
def upgrade_cmd() -> None:
    """Apply the schema migrations the state database lacks (safe to run twice)."""
    url = Settings.from_env().resolved_state_url()
    state = StateDB(url, upgrade=False)
    try:
        applied = upgrade(state)
    finally:
        state.close()
    done = ", ".join(str(v) for v in applied) if applied else "none (already up to date)"
    click.echo(f"{redact(url)}: applied {done}; schema version {HEAD}")


@db.command("status")
def status_cmd() -> None:
    """The schema version of the state database and the newest one known."""
    url = Settings.from_env().resolved_state_url()
    state = StateDB(url, upgrade=False)
    try:
        version = current(state)
    finally:
        state.close()
    click.echo(f"{redact(url)}: schema version {version} of {HEAD}")
