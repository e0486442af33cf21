"""Dataset context files (``schemas/datasets/<dataset>.md``) as MCP resources.

Only datasets the tools would list have their context shown: a context file
describes tables, and a dataset outside the allowlist must not be described
through a side door any more than through ``list_tables``.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

import mcp_types as types

from nl2sql.context import dataset_context
from nl2sql.errors import NotFound
from nl2sql.schemas import schema_path
from nl2sql.tools import Toolbox

PREFIX = "nl2sql://datasets/"
SUFFIX = "/context.md"
MIME = "text/markdown"


def uri_of(dataset_id: str) -> str:
    return f"{PREFIX}{quote(dataset_id, safe='')}{SUFFIX}"


def _dataset_of(uri: str) -> str | None:
    if not (uri.startswith(PREFIX) and uri.endswith(SUFFIX)):
        return None
    return unquote(uri[len(PREFIX):-len(SUFFIX)]) or None


def _listed(toolbox: Toolbox) -> list[str]:
    return [d["dataset_id"] for d in toolbox.list_datasets()["datasets"]]


def list_resources(toolbox: Toolbox) -> list[types.Resource]:
    """One resource per listed dataset that has a context file."""
    out = []
    for dataset_id in _listed(toolbox):
        context = dataset_context(dataset_id)
        if context is None:
            continue
        out.append(types.Resource(
            uri=uri_of(dataset_id), name=dataset_id, title=f"{dataset_id}: dataset context",
            description=context.description, mime_type=MIME))
    return out


def read_resource(toolbox: Toolbox, uri: str) -> types.ReadResourceResult:
    """The context file behind ``uri``; ``NotFound`` for anything not listed."""
    dataset_id = _dataset_of(uri)
    if dataset_id is None or dataset_id not in _listed(toolbox) \
            or dataset_context(dataset_id) is None:
        raise NotFound(f"no resource {uri!r}; list_resources shows the dataset context files")
    text = schema_path(f"datasets/{dataset_id}.md").read_text(encoding="utf-8")
    return types.ReadResourceResult(contents=[
        types.TextResourceContents(uri=uri, mime_type=MIME, text=text)])
