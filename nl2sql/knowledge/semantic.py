"""Semantic definitions of a dataset: metrics, entities, dimensions, join keys.

``schemas/datasets/<dataset>.yaml`` (validated by ``schemas/semantic.schema.json``;
the same name in ``NL2SQL_DATASETS_DIR`` takes precedence) holds a readable
subset of dbt's semantic layer. Loading resolves every metric to the one shape
both models consume (a GoogleSQL aggregate over a base table plus filters that
always apply, or a full query for multi-table metrics) and passes each one
through the safety gate, so a definition the gate would refuse never reaches a
model. ``tool_payload`` is what ``list_tables`` adds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import sqlglot
import yaml
from sqlglot import exp

from nl2sql.errors import ConfigError, UnsafeSQL
from nl2sql.safety import Policy, check_sql
from nl2sql.schemas import dataset_file, schema_path

#: dbt measure aggregations -> GoogleSQL (``{}`` is the measure's expression)
AGGREGATES = {
    "sum": "SUM({})", "count": "COUNT({})", "count_distinct": "COUNT(DISTINCT {})",
    "average": "AVG({})", "min": "MIN({})", "max": "MAX({})",
    "sum_boolean": "COUNTIF({})",
}


@dataclass(frozen=True)
class Metric:
    name: str
    description: str
    synonyms: tuple[str, ...] = ()
    table: str | None = None  # base table, no dataset prefix
    expression: str | None = None
    filters: tuple[str, ...] = ()
    time_column: str | None = None
    sql: str | None = None  # multi-table metrics: a full query
    tables: tuple[str, ...] = ()
    label: str | None = None
    # Joined tables an expression or filter names (``products.cost``): "base.fk = other.key"
    # from the semantic models' shared entities, resolved when the file loads.
    joins: tuple[str, ...] = ()

    def query(self, dataset: str) -> str:
        """The metric as one runnable query (what the gate checks and tests run)."""
        if self.sql:
            return self.sql
        base = str(self.table)
        joins = "".join(f" JOIN {dataset}.{_other(j)} AS {_other(j)} ON {j}"
                        for j in self.joins)
        own = base if joins else None  # bare columns are the base table's once joined
        where = " AND ".join(f"({_qualify(f, own)})" for f in self.filters)
        what = _qualify(self.expression or "", own)
        return (f"SELECT {what} AS {self.name} FROM {dataset}.{base}"
                + (f" AS {base}{joins}" if joins else "")
                + (f" WHERE {where}" if where else ""))

    @property
    def reads(self) -> tuple[str, ...]:
        """Every table (no dataset prefix) the metric reads."""
        if self.sql:
            return self.tables
        return (str(self.table), *(_other(j) for j in self.joins))

    def to_tool(self, dataset: str) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "synonyms": list(self.synonyms),
                             "description": self.description}
        if self.sql:
            d["sql"] = self.sql
            d["tables"] = [f"{dataset}.{t}" for t in self.tables]
            return d
        d.update(table=f"{dataset}.{self.table}", expression=self.expression,
                 filters=list(self.filters))
        if self.joins:  # columns of other tables, qualified by their name, reached by these
            d["joins"] = list(self.joins)
        if self.time_column:
            d["time_column"] = self.time_column
        return d


@dataclass(frozen=True)
class Dimension:
    table: str
    column: str
    synonyms: tuple[str, ...] = ()
    values: dict[str, Any] = field(default_factory=dict)
    description: str | None = None


@dataclass(frozen=True)
class Entity:
    table: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class VerifiedExample:
    question: str
    sql: str
    order: bool = False
    pct: bool = False


@dataclass(frozen=True)
class SemanticLayer:
    dataset: str
    metrics: tuple[Metric, ...] = ()
    entities: tuple[Entity, ...] = ()
    dimensions: tuple[Dimension, ...] = ()
    joins: tuple[str, ...] = ()  # "a.x = b.y", from shared entity names
    time_columns: dict[str, str] = field(default_factory=dict)
    verified: tuple[VerifiedExample, ...] = ()

    def tool_payload(self) -> dict[str, Any]:
        """Compact definitions for ``list_tables``: only the keys that have content."""
        ds = self.dataset
        out: dict[str, Any] = {}
        if self.metrics:
            out["metrics"] = [m.to_tool(ds) for m in self.metrics]
        if self.entities:
            out["entities"] = [{"table": f"{ds}.{e.table}", "synonyms": list(e.synonyms)}
                               for e in self.entities]
        dims = [d for d in self.dimensions if d.synonyms or d.values]
        if dims:
            out["dimensions"] = [
                {"table": f"{ds}.{d.table}", "column": d.column, "synonyms": list(d.synonyms),
                 "values": dict(d.values)} for d in dims]
        if self.joins:
            out["joins"] = list(self.joins)
        return out

    def table_payload(self, table: str) -> dict[str, Any]:
        """The metrics over ``table`` (no dataset prefix), for ``get_table``: one line
        each, ``name: EXPRESSION WHERE FILTERS; time COLUMN`` (or ``name: SQL``), without
        the prose, which ``list_tables`` carries. Empty when no metric uses the table.

        The first request's catalog names each metric under its table only; the
        definition reaches the model with the table it is about to query, so it is
        not paid for on every request of every question.
        """
        metrics = []
        for m in self.metrics:
            if m.sql and table in m.tables:
                metrics.append(f"{m.name}: {m.sql}")
            elif not m.sql and table in m.reads:
                line = f"{m.name}: {m.expression}"
                where = (" AND ".join(f"({f})" for f in m.filters) if len(m.filters) > 1
                         else "".join(m.filters))
                line += f" WHERE {where}" if where else ""
                line += f"; time {m.time_column}" if m.time_column else ""
                line += f"; join {', '.join(m.joins)}" if m.joins else ""
                metrics.append(line)
        return {"metrics": metrics} if metrics else {}


@cache
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(schema_path("semantic.schema.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def semantic_path(dataset_id: str, datasets_dir: str = "") -> Path | None:
    """The definitions file of ``dataset_id`` (``datasets_dir``'s first), if any."""
    return dataset_file(dataset_id, ".yaml", datasets_dir)


@cache
def semantic_layer(dataset_id: str, datasets_dir: str = "") -> SemanticLayer | None:
    """The checked definitions of ``dataset_id``, or None when it has no file."""
    path = semantic_path(dataset_id, datasets_dir)
    return load_file(path, expect_dataset=dataset_id) if path else None


def load_file(path: Path, expect_dataset: str | None = None) -> SemanticLayer:
    """Read, validate and gate-check one definitions file; ``ConfigError`` names what is wrong."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path.name}: cannot read: {e}") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"{path.name}: not valid YAML: {e}") from None
    return parse(data, source=path.name, expect_dataset=expect_dataset)


def parse(data: Any, *, source: str = "definitions",
          expect_dataset: str | None = None) -> SemanticLayer:
    """Build a ``SemanticLayer`` from already-loaded YAML/JSON data."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        where = "/".join(map(str, e.absolute_path)) or "top level"
        raise ConfigError(f"{source}: {where}: {e.message}")
    dataset = data["dataset"]
    if expect_dataset is not None and dataset != expect_dataset:
        raise ConfigError(f"{source}: says dataset {dataset!r} but is the file of "
                          f"{expect_dataset!r}")
    models = data.get("semantic_models") or []
    joins = _joins(models)
    layer = SemanticLayer(
        dataset=dataset,
        metrics=tuple(_joined(_metric(m, models, source), joins, source)
                      for m in data.get("metrics") or []),
        entities=tuple(Entity(m["table"], tuple(m["synonyms"]))
                       for m in models if m.get("synonyms")),
        dimensions=tuple(
            Dimension(m["table"], d.get("expr", d["name"]), tuple(d.get("synonyms") or ()),
                      dict(d.get("values") or {}), d.get("description"))
            for m in models for d in m.get("dimensions") or []),
        joins=joins,
        time_columns={m["table"]: m["time_column"] for m in models if m.get("time_column")},
        verified=tuple(VerifiedExample(v["question"], v["sql"], v.get("order", False),
                                       v.get("pct", False))
                       for v in data.get("verified_queries") or []),
    )
    _gate_check(layer, source)
    return layer


def _metric(m: dict[str, Any], models: list[dict[str, Any]], source: str) -> Metric:
    table, expression, time_column = m.get("table"), m.get("expression"), m.get("time_column")
    if "measure" in m:
        found = [(sm, ms) for sm in models for ms in sm.get("measures") or []
                 if ms["name"] == m["measure"]]
        if not found:
            raise ConfigError(f"{source}: metric {m['name']!r} uses measure {m['measure']!r}, "
                              "which no semantic model declares")
        sm, ms = found[0]
        table = sm["table"]
        expression = AGGREGATES[ms["agg"]].format(ms.get("expr", ms["name"]))
        time_column = time_column or sm.get("time_column")
    elif table and not time_column:
        time_column = next((sm.get("time_column") for sm in models if sm["table"] == table),
                           None)
    return Metric(
        name=m["name"], description=m["description"], synonyms=tuple(m.get("synonyms") or ()),
        table=table, expression=expression, filters=tuple(m.get("filters") or ()),
        time_column=time_column, sql=m.get("sql"), tables=tuple(m.get("tables") or ()),
        label=m.get("label"))


def _joined(m: Metric, joins: tuple[str, ...], source: str) -> Metric:
    """A metric whose expression or filters name another table's columns (``products.cost``)
    joins that table along the key the semantic models share with its base table (one
    hop, many-to-one: each base row meets one row of it, so the aggregate counts nothing
    twice). A qualifier no such key reaches is refused."""
    if m.sql or not m.table:
        return m
    named: list[str] = []
    for part in (m.expression or "", *m.filters):
        try:
            tree = sqlglot.parse_one(part, read="bigquery")
        except sqlglot.errors.ParseError:
            continue  # _one_expression names it
        named += [c.table for c in tree.find_all(exp.Column)
                  if c.table and c.table != m.table and c.table not in named]
    found = []
    for other in named:
        key = next((j for j in joins if j.startswith(f"{m.table}.")
                    and j.partition(" = ")[2].startswith(f"{other}.")), None)
        if key is None:
            raise ConfigError(f"{source}: metric {m.name!r} uses columns of {other!r}, which "
                              f"no foreign key of {m.table!r} (its entities) points at")
        found.append(key)
    return replace(m, joins=tuple(found)) if found else m


def _other(join: str) -> str:
    """The table a metric's join reaches: ``a.x = b.y`` from ``a`` -> ``b``."""
    return join.partition(" = ")[2].partition(".")[0]


def _qualify(sql: str, table: str | None) -> str:
    """Bare columns prefixed by the base table's name (unambiguous once joined)."""
    if not table:
        return sql
    tree = sqlglot.parse_one(sql, read="bigquery")
    for c in tree.find_all(exp.Column):
        if not c.table and table:
            c.set("table", exp.to_identifier(table))
    return tree.sql(dialect="bigquery")


def _joins(models: list[dict[str, Any]]) -> tuple[str, ...]:
    """Foreign keys joined to the model whose primary entity has the same name."""
    primary = {e["name"]: (m["table"], e.get("expr", e["name"]))
               for m in models for e in m.get("entities") or []
               if e["type"] in ("primary", "unique")}
    out = []
    for m in models:
        for e in m.get("entities") or []:
            if e["type"] == "foreign" and e["name"] in primary:
                table, key = primary[e["name"]]
                if table != m["table"]:
                    out.append(f"{m['table']}.{e.get('expr', e['name'])} = {table}.{key}")
    return tuple(out)


def _gate_check(layer: SemanticLayer, source: str) -> None:
    """Every metric must be something the gate lets run, over its own dataset only."""
    policy = Policy(frozenset({layer.dataset}), max_rows=1000)
    for m in layer.metrics:
        for part in (m.expression, *m.filters):
            if part is not None:
                _one_expression(part, f"{source}: metric {m.name!r}")
        try:
            checked = check_sql(m.query(layer.dataset), policy)
        except UnsafeSQL as e:
            raise ConfigError(f"{source}: metric {m.name!r} is refused by the safety gate: "
                              f"{e.message}") from None
        declared = {f"{layer.dataset}.{t}" for t in m.tables}
        if m.sql and (not checked.tables or not set(checked.tables) <= declared):
            raise ConfigError(f"{source}: metric {m.name!r}: its sql must read the tables it "
                              f"lists (it reads {', '.join(checked.tables) or 'none'})")
    for v in layer.verified:
        try:
            check_sql(v.sql, policy)
        except UnsafeSQL as e:
            raise ConfigError(f"{source}: verified query {v.question!r} is refused by the "
                              f"safety gate: {e.message}") from None


def _one_expression(text: str, where: str) -> None:
    """An expression or filter must be exactly one GoogleSQL expression, so splicing
    it into ``SELECT ... WHERE (...)`` cannot change the query around it."""
    try:
        tree = sqlglot.parse_one(text, read="bigquery")
    except sqlglot.errors.ParseError:
        tree = None
    statement = isinstance(tree, exp.Query | exp.Alias) and not isinstance(tree, exp.Subquery)
    if tree is None or statement:
        raise ConfigError(f"{where}: {text!r} is not one GoogleSQL expression")
