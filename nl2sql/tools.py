"""The functions the model may call: declarations (from ``schemas/``) and dispatch.

``Toolbox.call`` validates arguments against the declaration, enforces the
dataset allowlist on metadata, passes SQL through the safety gate, and returns
a compact JSON-safe dict. Any ``Nl2SqlError`` it raises is meant for the model
to read and act on; the agent turns it into an ``{"error": ...}`` response.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from functools import cache
from typing import Any

import jsonschema

from nl2sql.config import Settings
from nl2sql.context import dataset_context
from nl2sql.errors import BadRequest, ConfigError, DeadlineExceeded, NotFound
from nl2sql.knowledge.library import Knowledge
from nl2sql.knowledge.semantic import SemanticLayer, semantic_layer
from nl2sql.model_view import result_for_model
from nl2sql.querying import run_checked
from nl2sql.safety import Policy
from nl2sql.safety.resultcap import cap_result
from nl2sql.schemas import schema_path
from nl2sql.shown_sql import shown_sql
from nl2sql.warehouse.base import QueryResult, Warehouse

log = logging.getLogger("nl2sql.tools")


@cache
def declarations() -> tuple[dict[str, Any], ...]:
    """Function declarations in Gemini's OpenAPI-subset format."""
    return tuple(json.loads(schema_path("functions.json").read_text()))


@cache
def _argument_validator(name: str) -> Any:
    """A checked validator for one function's parameters, built once: ``jsonschema.validate``
    re-checks the schema itself on every call, which cost more than the call it guards."""
    decl = next(d for d in declarations() if d["name"] == name)
    cls = jsonschema.validators.validator_for(decl["parameters"])
    cls.check_schema(decl["parameters"])
    return cls(decl["parameters"])


def _layer(dataset_id: str, datasets_dir: str) -> SemanticLayer | None:
    """The dataset's semantic definitions (``datasets_dir``'s first), or None (also
    when the file is broken)."""
    try:
        return semantic_layer(dataset_id, datasets_dir)
    except ConfigError as e:
        # A broken definitions file must not cost the model the tables; operators
        # see it in the log (and `nl2sql semantic check`).
        log.error("semantic definitions of %s not used: %s", dataset_id, e.message)
        return None


@dataclass
class ToolResult:
    """What a call returns to the model, plus the query behind it for the answer."""

    payload: dict[str, Any]
    sql: str | None = None  # the SQL that ran (the gate's rendering), when this call ran a query
    result: QueryResult | None = None
    model_sql: str | None = None  # the model's text of it


class Toolbox:
    """Runs model function calls against one warehouse under one policy."""

    def __init__(self, warehouse: Warehouse, settings: Settings,
                 labels: dict[str, str] | None = None,
                 knowledge: Knowledge | None = None) -> None:
        self.warehouse = warehouse
        self.settings = settings
        self.labels = labels or {}
        self.policy = Policy.from_settings(settings, warehouse.project)
        self.export_policy = Policy.from_settings(
            settings, warehouse.project, max_rows=max(settings.export_max_rows, settings.max_rows))
        #: ``time.monotonic()`` the question must finish by (set by the agent); None: none
        self.deadline: float | None = None
        # Without a state store: the definitions files' and pinned reports' pairs only.
        self.knowledge = knowledge or Knowledge(settings, None, warehouse.project)
        self._handlers: dict[str, Any] = {
            "list_datasets": self.list_datasets,
            "list_tables": self.list_tables,
            "get_table": self.get_table,
            "sql_query": self.sql_query,
            "search_verified_queries": self.search_verified_queries,
        }

    @property
    def declarations(self) -> list[dict[str, Any]]:
        return list(declarations())

    def call(self, name: str, args: dict[str, Any]) -> ToolResult:
        decl = next((d for d in declarations() if d["name"] == name), None)
        if decl is None:
            known = ", ".join(d["name"] for d in declarations())
            raise BadRequest(f"unknown function {name!r}; available: {known}")
        args = {} if args is None else args
        # The declarations do not forbid extra arguments (Gemini's schema subset
        # has no additionalProperties), so unknown names are refused here, before
        # they reach a handler as an unexpected keyword.
        declared = decl["parameters"].get("properties") or {}
        unknown = sorted(map(str, set(args) - set(declared))) if isinstance(args, dict) else []
        if unknown:
            takes = ", ".join(declared) or "no arguments"
            raise BadRequest(f"bad arguments for {name}: unexpected "
                             f"{', '.join(map(repr, unknown))}; {name} takes {takes}")
        try:
            error = jsonschema.exceptions.best_match(_argument_validator(name).iter_errors(args))
            if error is not None:
                raise error
        except jsonschema.ValidationError as e:
            where = "/".join(map(str, e.absolute_path)) or "arguments"
            raise BadRequest(f"bad arguments for {name}: {where}: {e.message}") from None
        out = self._handlers[name](**args)
        return out if isinstance(out, ToolResult) else ToolResult(out)

    # -- metadata --------------------------------------------------------------

    def _allowed(self, dataset_id: str) -> bool:
        # The gate's own rule (exact names: BigQuery datasets are case-sensitive),
        # so metadata never shows what SQL may not read. Another project's
        # dataset is shown as `project.dataset`.
        project, _, dataset = dataset_id.rpartition(".")
        if not self.policy.allowed_datasets and not project:
            return True  # no allowlist, and no project to check (DuckDB)
        return self.policy.allows(project or self.policy.project, dataset)

    def list_datasets(self) -> dict[str, Any]:
        out = []
        for d in self.warehouse.list_datasets():
            if not self._allowed(d.id):
                continue
            item = d.to_dict()
            context = dataset_context(d.id, self.settings.datasets_dir)
            if context and not item["description"]:
                item["description"] = context.description
            out.append(item)
        return {"datasets": out}

    def list_tables(self, dataset_id: str) -> dict[str, Any]:
        if not self._allowed(dataset_id):
            raise NotFound(f"dataset {dataset_id!r} is not available; call list_datasets")
        tables = self.warehouse.list_tables(dataset_id)
        out: dict[str, Any] = {"dataset_id": dataset_id, "tables": [t.to_dict() for t in tables]}
        context = dataset_context(dataset_id, self.settings.datasets_dir)
        if context and context.notes:
            out["notes"] = context.notes  # business definitions and join paths
        layer = _layer(dataset_id, self.settings.datasets_dir)
        if layer is not None:
            out.update(layer.tool_payload())  # metrics, entities, dimensions, joins
        return out

    def get_table(self, table_id: str) -> dict[str, Any]:
        dataset, _, table = table_id.strip("`").rpartition(".")
        if not dataset or not table or dataset.count(".") > 1:
            raise BadRequest(f"table_id {table_id!r} must look like 'dataset.table'")
        home = f"{self.policy.project}."
        if self.policy.project and dataset.startswith(home):
            dataset = dataset[len(home):]  # our own project, spelled out
        if not self._allowed(dataset):
            raise NotFound(f"table {table_id!r} is not in an allowed dataset")
        out = self.warehouse.get_table(f"{dataset}.{table}").to_dict()
        layer = _layer(dataset, self.settings.datasets_dir)
        if layer is not None:
            out.update(layer.table_payload(table))  # the metrics defined over this table
        return out

    def search_verified_queries(self, question: str,
                                dataset_id: str | None = None) -> dict[str, Any]:
        if dataset_id and not self._allowed(dataset_id):
            raise NotFound(f"dataset {dataset_id!r} is not available; call list_datasets")
        matches = self.knowledge.search(question, self._allowed, dataset_id or None)
        return {"matches": [m.to_tool() for m in matches]}

    # -- queries ---------------------------------------------------------------

    def sql_query(self, query: str) -> ToolResult:
        # Where the warehouse keeps a job's whole result (BigQuery), the query is capped
        # at the export cap and only the preview is fetched: a CSV export then reads
        # that result instead of running (and billing) the query again.
        policy = self.export_policy if self.warehouse.keeps_results else self.policy
        checked, result = run_checked(self.warehouse, policy, query,
                                      timeout_s=self._query_timeout(), labels=self.labels,
                                      fetch_rows=self.settings.max_rows)
        # Bytes, not only rows: what reaches the model, the user and the state is bounded.
        result = cap_result(result, max_bytes=self.settings.max_result_bytes,
                            max_cell_bytes=self.settings.max_cell_bytes)
        # The answer shows what ran (the gate's rendering), the model's text beside it;
        # the model gets a capped view of the rows (nl2sql/model_view.py).
        model_sql = query.strip().rstrip(";").strip()
        return ToolResult(result_for_model(result), result=result, model_sql=model_sql,
                          sql=shown_sql(checked.sql, checked.row_cap, model_sql))

    def _query_timeout(self) -> float:
        """The query timeout, shortened to what is left of the question's deadline."""
        timeout = self.settings.query_timeout_s
        if self.deadline is None:
            return timeout
        left = self.deadline - time.monotonic()
        if left <= 1.0:
            raise DeadlineExceeded("no time is left in this question for another query "
                                   "(NL2SQL_QUESTION_DEADLINE_S)")
        return min(timeout, left)
