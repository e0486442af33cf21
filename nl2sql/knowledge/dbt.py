"""``nl2sql semantic import-dbt``: a dbt ``semantic_manifest.json`` -> a definitions file.

dbt's semantic layer (MetricFlow) describes semantic models (a table with its
entities, dimensions and measures) and metrics built on measures. We keep the
models as they are and resolve each metric to the shape the tools hand out:

- ``simple``: the measure's aggregate over its model's table; the metric's and
  the measure's ``where`` filters become ``filters`` (``{{ Dimension('e__d') }}``
  becomes the dimension's column);
- ``ratio`` and ``derived`` over inputs of one table: one expression, each
  input aggregate filtered inside (``SUM(CASE WHEN f THEN x END)``), a ratio
  through ``SAFE_DIVIDE``; over several tables: ``sql``, one scalar subquery per input;
- ``cumulative`` and ``conversion`` metrics, and measures of other aggregations
  (median, percentile), have no single-query equivalent here: they are listed
  as skipped in the file's header, not guessed.

The result is validated and gate-checked like any definitions file before it is
written, so an import never produces a file the service would refuse.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlglot
import yaml
from sqlglot import exp

from nl2sql.errors import ConfigError
from nl2sql.knowledge.semantic import AGGREGATES, parse

_TEMPLATE = re.compile(r"\{\{\s*(Dimension|TimeDimension|Entity)\(\s*'([^']+)'[^)]*\)\s*\}\}")


@dataclass
class _Input:
    """A metric reduced to an aggregate over one table, with its filters."""

    table: str
    agg: str
    expr: str
    filters: list[str] = field(default_factory=list)

    def aggregate(self, inline_filters: bool) -> str:
        arg = self.expr
        if inline_filters and self.filters:
            cond = " AND ".join(f"({f})" for f in self.filters)
            arg = f"CASE WHEN {cond} THEN {'1' if self.expr == '*' else self.expr} END"
        return AGGREGATES[self.agg].format(arg)

    def subquery(self, dataset: str) -> str:
        where = " AND ".join(f"({f})" for f in self.filters)
        return (f"(SELECT {self.aggregate(False)} FROM {dataset}.{self.table}"
                + (f" WHERE {where}" if where else "") + ")")


class _Manifest:
    def __init__(self, data: dict[str, Any], dataset: str) -> None:
        self.dataset = dataset
        self.models = data.get("semantic_models") or []
        self.metrics = {m["name"]: m for m in data.get("metrics") or []}
        self.skipped: list[str] = []

    def table(self, model: dict[str, Any]) -> str:
        rel = model.get("node_relation") or {}
        return str(rel.get("alias") or model["name"])

    def measure(self, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
        for m in self.models:
            for ms in m.get("measures") or []:
                if ms["name"] == name:
                    return m, ms
        raise ConfigError(f"the manifest has no measure {name!r}")

    def render_filter(self, template: str, table: str) -> str:
        """``{{ Dimension('order_item__status') }} = 'x'`` -> ``status = 'x'``."""
        def column(m: re.Match[str]) -> str:
            entity, _, name = m[2].rpartition("__")
            for model in self.models:
                if self.table(model) != table:
                    continue
                for kind in ("dimensions", "entities"):
                    for d in model.get(kind) or []:
                        if d["name"] == name or (m[1] == "Entity" and d["name"] == m[2]):
                            return str(d.get("expr") or d["name"])
            raise ConfigError(f"filter {template.strip()!r} uses {m[2]!r}, which is not a "
                              f"column of {table}")
        return _TEMPLATE.sub(column, template).strip()

    def filters(self, spec: dict[str, Any] | None, table: str) -> list[str]:
        wheres = (spec or {}).get("where_filters") or []
        return [self.render_filter(w["where_sql_template"], table) for w in wheres]

    def resolve(self, name: str, extra: dict[str, Any] | None = None) -> _Input | None:
        """A simple metric as one aggregate; None for other kinds."""
        metric = self.metrics.get(name)
        if metric is None:
            raise ConfigError(f"the manifest has no metric {name!r}")
        if metric["type"] != "simple":
            return None
        ref = metric["type_params"]["measure"]
        model, ms = self.measure(ref["name"])
        if ms["agg"] not in AGGREGATES:
            return None
        table = self.table(model)
        expr = str(ms.get("expr") or ms["name"])
        return _Input(table, ms["agg"], expr,
                      self.filters(metric.get("filter"), table)
                      + self.filters(ref.get("filter"), table)
                      + self.filters(extra, table))

    def metric(self, m: dict[str, Any]) -> dict[str, Any] | None:
        out: dict[str, Any] = {"name": m["name"], "description": m.get("description")
                               or m.get("label") or m["name"]}
        label = m.get("label")
        if label:
            out["label"] = label
            if label.lower().replace(" ", "_") != m["name"].lower():
                out["synonyms"] = [label.lower()]
        kind, params = m["type"], m["type_params"]
        if kind == "simple":
            one = self.resolve(m["name"])
            if one is None:
                return self.skip(m, "its measure's aggregation has no GoogleSQL equivalent here")
            out.update(table=one.table, expression=one.aggregate(False))
            if one.filters:
                out["filters"] = one.filters
            return out
        if kind == "ratio":
            parts = {"numerator": params["numerator"], "denominator": params["denominator"]}
            expr = "numerator / denominator"
        elif kind == "derived":
            parts = {p.get("alias") or p["name"]: p for p in params.get("metrics") or []}
            expr = params["expr"]
        else:
            return self.skip(m, f"{kind} metrics have no single-query equivalent here")
        inputs = {k: self.resolve(p["name"], p.get("filter")) for k, p in parts.items()}
        if any(v is None for v in inputs.values()):
            return self.skip(m, "it is built on metrics that are not simple")
        resolved = {k: v for k, v in inputs.items() if v is not None}
        tables = sorted({i.table for i in resolved.values()})
        own = self.filters(m.get("filter"), tables[0]) if len(tables) == 1 else []
        if len(tables) == 1:
            out.update(table=tables[0],
                       expression=_substitute(expr, {k: i.aggregate(True)
                                                     for k, i in resolved.items()}))
            if own:
                out["filters"] = own
        else:
            if m.get("filter"):
                return self.skip(m, "it filters inputs from several tables")
            body = _substitute(expr, {k: i.subquery(self.dataset) for k, i in resolved.items()})
            out.update(sql=f"SELECT {body} AS {m['name']}", tables=tables)
        return out

    def skip(self, m: dict[str, Any], why: str) -> dict[str, Any] | None:
        """Record why ``m`` is left out; returns None, the metric there is not."""
        self.skipped.append(f"{m['name']} ({why})")
        return None

    def semantic_model(self, m: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"name": m["name"], "table": self.table(m)}
        if m.get("description"):
            out["description"] = m["description"]
        time_column = (m.get("defaults") or {}).get("agg_time_dimension")
        if time_column:
            dim = next((d for d in m.get("dimensions") or [] if d["name"] == time_column), None)
            out["time_column"] = str((dim or {}).get("expr") or time_column)
        out["entities"] = [{"name": e["name"], "type": e["type"],
                            **({"expr": e["expr"]} if e.get("expr") else {})}
                           for e in m.get("entities") or []]
        out["dimensions"] = [{"name": d["name"], "type": d["type"],
                              **({"expr": d["expr"]} if d.get("expr") else {}),
                              **({"description": d["description"]} if d.get("description")
                                 else {})}
                             for d in m.get("dimensions") or []]
        out["measures"] = [{"name": ms["name"], "agg": ms["agg"],
                            **({"expr": ms["expr"]} if ms.get("expr") else {}),
                            **({"description": ms["description"]} if ms.get("description")
                               else {})}
                           for ms in m.get("measures") or [] if ms["agg"] in AGGREGATES]
        return {k: v for k, v in out.items() if v != []}


def _substitute(expr: str, parts: dict[str, str]) -> str:
    """Replace metric names in a dbt ``expr`` by their SQL; a ratio through SAFE_DIVIDE."""
    tree = sqlglot.parse_one(expr, read="bigquery")

    def safe(node: exp.Expr) -> exp.Expr:  # dbt's expr divides; a zero must not fail
        if isinstance(node, exp.Div):
            return exp.func("SAFE_DIVIDE", node.this, node.expression, dialect="bigquery")
        return node

    def swap(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Column) and not node.table and node.name in parts:
            return sqlglot.parse_one(parts[node.name], read="bigquery")
        return node

    # SAFE_DIVIDE first, on dbt's expr only: the inputs' own SQL is left as written.
    return tree.transform(safe).transform(swap).sql(dialect="bigquery")


def convert(data: dict[str, Any], dataset: str) -> tuple[dict[str, Any], list[str]]:
    """The definitions (as data) and the metrics skipped, with why."""
    if not isinstance(data, dict) or "semantic_models" not in data:
        raise ConfigError("not a dbt semantic manifest: no 'semantic_models' "
                          "(dbt writes it to target/semantic_manifest.json)")
    manifest = _Manifest(data, dataset)
    metrics = [m for m in (manifest.metric(x) for x in manifest.metrics.values()) if m]
    out = {"dataset": dataset,
           "semantic_models": [manifest.semantic_model(m) for m in manifest.models],
           "metrics": metrics}
    return out, manifest.skipped


def import_manifest(path: Path, dataset: str) -> str:
    """YAML text of the definitions converted from ``path``, validated and gate-checked."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read: {e}") from None
    except json.JSONDecodeError as e:
        raise ConfigError(f"{path}: not valid JSON: {e}") from None
    try:
        out, skipped = convert(data, dataset)
    except (KeyError, TypeError) as e:
        raise ConfigError(f"{path}: not a dbt semantic manifest this version reads ({e})") from None
    parse(out, source=f"definitions converted from {path.name}")
    header = f"# Converted from {path.name} by `nl2sql semantic import-dbt`.\n"
    if skipped:
        header += "# Skipped metrics:\n" + "".join(f"#   {s}\n" for s in skipped)
    return header + yaml.safe_dump(out, sort_keys=False, allow_unicode=True, width=100)
