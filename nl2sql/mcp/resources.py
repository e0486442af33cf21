"""Dataset files as MCP resources: each dataset's context (``schemas/datasets/<id>.md``)
and semantic definitions (``schemas/datasets/<id>.yaml``), or a team's own from
``NL2SQL_DATASETS_DIR`` where it has them.

Only datasets the tools would list have their files shown: they describe tables
and business rules, and a dataset outside the allowlist must not be described
through a side door any more than through ``list_tables``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

import mcp_types as types

from nl2sql.context import dataset_context
from nl2sql.errors import NotFound
from nl2sql.knowledge.semantic import semantic_path
from nl2sql.schemas import dataset_file
from nl2sql.tools import Toolbox

PREFIX = "nl2sql://datasets/"


def _context_path(dataset_id: str, datasets_dir: str) -> Path | None:
    if dataset_context(dataset_id, datasets_dir) is None:
        return None
    return dataset_file(dataset_id, ".md", datasets_dir)


@dataclass(frozen=True)
class Kind:
    suffix: str  # the URI's last part
    mime: str
    title: str
    find: Callable[[str, str], Path | None]  # (dataset, datasets dir) -> its file, if any


KINDS = (
    Kind("context.md", "text/markdown", "dataset context: description, business rules, joins",
         _context_path),
    Kind("definitions.yaml", "application/yaml",
         "semantic definitions: metrics, entities, dimensions, joins", semantic_path),
)


def uri_of(dataset_id: str, kind: Kind) -> str:
    return f"{PREFIX}{quote(dataset_id, safe='')}/{kind.suffix}"


def _parse(uri: str) -> tuple[str, Kind] | None:
    if not uri.startswith(PREFIX):
        return None
    dataset, _, suffix = uri[len(PREFIX):].rpartition("/")
    kind = next((k for k in KINDS if k.suffix == suffix), None)
    return (unquote(dataset), kind) if dataset and kind else None


def _listed(toolbox: Toolbox) -> list[str]:
    return [d["dataset_id"] for d in toolbox.list_datasets()["datasets"]]


def list_resources(toolbox: Toolbox) -> list[types.Resource]:
    """One resource per file of each listed dataset."""
    out = []
    for dataset_id in _listed(toolbox):
        context = dataset_context(dataset_id, toolbox.settings.datasets_dir)
        for kind in KINDS:
            if kind.find(dataset_id, toolbox.settings.datasets_dir) is None:
                continue
            out.append(types.Resource(
                uri=uri_of(dataset_id, kind), name=f"{dataset_id}/{kind.suffix}",
                title=f"{dataset_id}: {kind.title}", mime_type=kind.mime,
                description=context.description if context else None))
    return out


def read_resource(toolbox: Toolbox, uri: str) -> types.ReadResourceResult:
    """The file behind ``uri``; ``NotFound`` for anything not listed."""
    parsed = _parse(uri)
    path = (parsed[1].find(parsed[0], toolbox.settings.datasets_dir)
            if parsed and parsed[0] in _listed(toolbox) else None)
    if parsed is None or path is None:
        raise NotFound(f"no resource {uri!r}; list_resources shows the dataset files")
    return types.ReadResourceResult(contents=[types.TextResourceContents(
        uri=uri, mime_type=parsed[1].mime, text=path.read_text(encoding="utf-8"))])
