"""Where a qualified name points: the project and dataset rules shared by tables and routines.

A name is ``dataset.object`` or ``project.dataset.object``. The dataset must be
in ``Policy.allowed_datasets`` (when that is not empty), spelled exactly; a
project, when written, must be ``Policy.project`` exactly, and with no
configured project (DuckDB) no project may be written at all: in DuckDB the
first of three parts would name an attached database, which is a way out of
the allowed datasets.
"""

from __future__ import annotations

import re

from sqlglot import exp

from nl2sql.errors import UnsafeSQL
from nl2sql.safety.locate import at, position
from nl2sql.safety.policy import Policy

# BigQuery dataset names: letters, digits and underscores. This also keeps out
# region qualifiers (`region-us`), paths and URLs.
_DATASET = re.compile(r"[A-Za-z0-9_]+")

# Schemas and catalogs that belong to an engine, not to anyone's data: DuckDB
# serves its catalog of every schema under these (and `system.duckdb_tables`
# resolves to its system catalog), so they are never datasets.
ENGINE_SCHEMAS = frozenset({"information_schema", "pg_catalog", "system", "temp"})


def resolve(parts: list[str], policy: Policy, *, what: str, node: exp.Expr,
            check: str) -> tuple[str, str]:
    """``(dataset, object)`` for ``parts`` if the policy allows them, else ``UnsafeSQL``.

    >>> from sqlglot import exp
    >>> resolve(["sales", "orders"], Policy(frozenset({"sales"})), what="table",
    ...         node=exp.Table(), check="tables")
    ('sales', 'orders')
    """
    display = ".".join(parts)

    def refuse(message: str, *, where: bool = True) -> UnsafeSQL:
        # Positions cost a walk of the subtree: only pay for them on refusal.
        pos = position(node)
        return UnsafeSQL(message + (at(pos) if where else ""), check=check, construct=display,
                         position=pos)

    project = policy.project
    if len(parts) == 3:
        project = parts[0]
        if policy.project is None:
            raise refuse(f"{what} `{display}` names a project; "
                         f"write it as `dataset.{what}` without the project")
        foreign = policy.foreign_entries()
        if project != policy.project and not any(e.startswith(f"{project}.") for e in foreign):
            also = f" (besides {', '.join(foreign)})" if foreign else ""
            raise refuse(f"{what} `{display}` is in project `{project}`; "
                         f"only project `{policy.project}` may be queried{also}")
        parts = parts[1:]
    if len(parts) != 2:
        raise refuse(f"{what} `{display}` has {len(parts)} name parts; "
                     f"write it as `dataset.{what}`")
    dataset, name = parts
    if not _DATASET.fullmatch(dataset) or dataset.lower() in ENGINE_SCHEMAS:
        raise refuse(f"`{dataset}` in {what} `{display}` is not a dataset you can query")
    if not policy.allows(project, dataset):
        raise refuse(f"{what} `{display}` is outside the allowed datasets "
                     f"({policy.describe_datasets()})", where=False)
    # Another project's dataset keeps its project, so callers never mistake it
    # for a dataset of the same name at home.
    return (dataset if project == policy.project else f"{project}.{dataset}"), name
