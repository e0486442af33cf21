"""What a running app holds: the runtime plus the local state built on it.

One ``Services`` per app, stored in ``app.extensions``; blueprints (the API
here, Slack later) reach it through ``services()``. Nothing is global.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from nl2sql.ratelimit import RateLimiter
from nl2sql.runtime import Runtime
from nl2sql.state import ConversationStore, StateDB
from nl2sql.web.asking import Asker
from nl2sql.web.catalog import Catalog
from nl2sql.web.metrics import Metrics

EXTENSION = "nl2sql"


@dataclass
class Services:
    runtime: Runtime
    db: StateDB
    store: ConversationStore
    limiter: RateLimiter
    metrics: Metrics
    asker: Asker
    catalog: Catalog

    @classmethod
    def build(cls, runtime: Runtime, *, state_db: StateDB | None = None,
              conversation_ttl_s: float | None = None) -> Services:
        settings = runtime.settings
        db = state_db or StateDB(settings.state_db)
        ttl = conversation_ttl_s or settings.conversation_ttl_s
        store = ConversationStore(db, ttl_s=ttl)
        limiter = RateLimiter(settings.rate_limit, db)
        metrics = Metrics(db)
        return cls(runtime, db, store, limiter, metrics,
                   Asker(runtime, store, limiter, metrics), Catalog(runtime))


def services(app: Flask | None = None) -> Services:
    found: Services = (app or current_app).extensions[EXTENSION]
    return found
