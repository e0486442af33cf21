"""The run context: settings plus the warehouse and model they name, opened once.

Interfaces (CLI, web app, Slack, reports) hold one ``Runtime`` and ask it for
agents; nothing is a global. A caller that has its own warehouse or model (a
test's scripted model, a warehouse on an emulator) passes it in. Otherwise
each is opened on first use, once: a warehouse that is down when the app
starts must not keep it from starting; each request then gets a 503 until it
is back (and commands that need only settings open nothing).
"""

from __future__ import annotations

import threading

from nl2sql.agent import Agent
from nl2sql.config import Settings
from nl2sql.knowledge.library import Knowledge
from nl2sql.models import open_model
from nl2sql.models.base import Model, ToolMode
from nl2sql.querying import run_sql
from nl2sql.safety import Policy
from nl2sql.state.db import StateDB
from nl2sql.warehouse import open_warehouse
from nl2sql.warehouse.base import QueryResult, Warehouse


class Runtime:
    def __init__(self, settings: Settings, *, warehouse: Warehouse | None = None,
                 model: Model | None = None, state_db: StateDB | None = None) -> None:
        self.settings = settings
        self._warehouse = warehouse
        self._model = model
        #: the state store for verified queries and feedback (the web app hands in its
        #: own); opened from the state URL setting on first use otherwise
        self.state_db = state_db
        self._knowledge: Knowledge | None = None
        self._lock = threading.Lock()

    @property
    def warehouse(self) -> Warehouse:
        with self._lock:
            if self._warehouse is None:
                self._warehouse = open_warehouse(self.settings)
            return self._warehouse

    @property
    def model(self) -> Model:
        with self._lock:
            if self._model is None:
                self._model = open_model(self.settings)
            return self._model

    @property
    def knowledge(self) -> Knowledge:
        with self._lock:
            if self._knowledge is None:
                if self.state_db is None:
                    self.state_db = StateDB(self.settings.resolved_state_url())
                project = self._warehouse.project if self._warehouse is not None else None
                self._knowledge = Knowledge(self.settings, self.state_db, project)
            return self._knowledge

    def agent(self, *, labels: dict[str, str] | None = None, tool_mode: ToolMode = "AUTO",
              allowed_functions: list[str] | None = None) -> Agent:
        warehouse = self.warehouse  # opened first: the knowledge needs its project
        return Agent(self.model, warehouse, self.settings, labels=labels,
                     tool_mode=tool_mode, allowed_functions=allowed_functions,
                     knowledge=self.knowledge)

    def run_sql(self, sql: str, *, labels: dict[str, str] | None = None,
                max_rows: int | None = None) -> QueryResult:
        """Run SQL that did not come through the model (exports, pinned reports)
        through the same gate: the configured policy, ``max_rows`` overriding its cap."""
        policy = Policy.from_settings(self.settings, self.warehouse.project, max_rows=max_rows)
        return run_sql(self.warehouse, policy, sql, timeout_s=self.settings.query_timeout_s,
                       labels=labels)

    def close(self) -> None:
        if self._warehouse is not None:
            self._warehouse.close()
        if self._model is not None:
            self._model.close()
