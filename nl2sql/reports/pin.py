"""Write pinned SQL into the definitions file without disturbing the rest of it.

A YAML round trip through PyYAML would drop comments and reorder keys, and
the file is reviewed by people, so the edit is surgical: PyYAML's node tree
gives the exact character span of the report's ``sql`` value (or of its
``question``, after which a new ``sql`` key goes), and only that span changes.
The edited text is parsed again and must differ from the original in that one
field, or nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from nl2sql.errors import ConfigError
from nl2sql.reports.result import write_atomic


def _key(node: yaml.MappingNode, name: str) -> tuple[yaml.Node, yaml.Node] | None:
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == name:
            return k, v
    return None


def _report_node(root: yaml.Node, name: str) -> tuple[int, yaml.MappingNode]:
    reports = _key(root, "reports") if isinstance(root, yaml.MappingNode) else None
    if reports is None or not isinstance(reports[1], yaml.SequenceNode):
        raise ConfigError("the definitions file has no 'reports' list")
    for i, item in enumerate(reports[1].value):
        if isinstance(item, yaml.MappingNode):
            found = _key(item, "name")
            if found and isinstance(found[1], yaml.ScalarNode) and found[1].value == name:
                return i, item
    raise ConfigError(f"no report named {name!r} in the definitions file")


def _block(sql: str, indent: int, comment: str = "") -> str:
    """``sql`` as a literal block scalar (``|-``) indented under its key; a
    comment that followed the old value stays on the indicator line."""
    pad = " " * (indent + 2)
    lines = [(pad + line).rstrip() for line in sql.strip().splitlines()]
    return "|-" + comment + "\n" + "\n".join(lines)


def _line_end(text: str, index: int) -> int:
    end = text.find("\n", index)
    return len(text) if end == -1 else end


def with_pinned_sql(text: str, name: str, sql: str) -> str:
    """``text`` with report ``name``'s ``sql`` set to ``sql``; raises ConfigError
    when the file's layout does not allow a safe edit."""
    root = yaml.compose(text)
    if root is None:
        raise ConfigError("the definitions file is empty")
    index, node = _report_node(root, name)
    indent = node.value[0][0].start_mark.column
    existing = _key(node, "sql")
    if existing is not None:
        start, end = existing[1].start_mark.index, existing[1].end_mark.index
        chunk = text[start:end]
        if chunk.endswith("\n"):
            # A block scalar's span runs to the next key's line; keep its newlines.
            trail = chunk[len(chunk.rstrip("\n")):]
            new = text[:start] + _block(sql, indent) + trail + text[end:]
        else:
            # A one-line value; a comment after it must not end up inside the SQL.
            eol = _line_end(text, end)
            rest = text[end:eol]
            comment = rest if rest.strip().startswith("#") else ""
            stop = eol if comment else end
            new = text[:start] + _block(sql, indent, comment) + text[stop:]
    else:
        question = _key(node, "question")
        if question is None:
            raise ConfigError(f"report {name!r} has no question")
        end = question[1].end_mark.index
        line = " " * indent + "sql: " + _block(sql, indent) + "\n"
        if text[end - 1:end] == "\n":  # a block scalar's span ends at a line start
            new = text[:end] + line + text[end:]
        else:  # after the question's line, comment included
            eol = _line_end(text, end)
            new = text[:eol] + "\n" + line.rstrip("\n") + text[eol:]
    _check_edit(text, new, index, sql)
    return new


def _check_edit(old: str, new: str, index: int, sql: str) -> None:
    try:
        before: Any = yaml.safe_load(old)
        after: Any = yaml.safe_load(new)
    except yaml.YAMLError:
        after = None
    expected = before
    if isinstance(expected, dict):
        expected["reports"][index]["sql"] = sql.strip()
    if after is not None and isinstance(after, dict):
        got = after["reports"][index].get("sql")
        after["reports"][index]["sql"] = (got or "").strip()
    if after != expected:
        raise ConfigError("could not edit the definitions file safely (flow-style YAML or a "
                          "comment on the sql line?); add the sql field by hand")


def pin_sql(path: Path, name: str, sql: str) -> None:
    """Write ``sql`` as report ``name``'s pinned SQL in ``path``, atomically."""
    # Bytes, not read_text(): universal newlines would turn a CRLF file into
    # LF and rewrite every line of it, not just the sql field.
    text = path.read_bytes().decode("utf-8")
    crlf = "\r\n" in text
    new = with_pinned_sql(text.replace("\r\n", "\n") if crlf else text, name, sql)
    write_atomic(path, (new.replace("\n", "\r\n") if crlf else new).encode("utf-8"))
