"""Every CLI command and option is documented: in the README's CLI table, or for
the subcommands of a group in that group's document (docs/reports.md, docs/knowledge.md)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from nl2sql.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
REPORTS_DOC = (ROOT / "docs" / "reports.md").read_text(encoding="utf-8")
KNOWLEDGE_DOC = (ROOT / "docs" / "knowledge.md").read_text(encoding="utf-8")
STATE_DOC = (ROOT / "docs" / "state.md").read_text(encoding="utf-8")
GROUP_DOCS = {"report": REPORTS_DOC, "verified": KNOWLEDGE_DOC, "feedback": KNOWLEDGE_DOC,
              "semantic": KNOWLEDGE_DOC, "db": STATE_DOC}


def _readme_row(command: str) -> str:
    rows = [line for line in README.splitlines() if line.startswith(f"| `nl2sql {command}")]
    assert rows, f"`nl2sql {command}` is not in the README's CLI table"
    return rows[0]


def _leaves(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            out += _leaves(command, f"{path} ")
        else:
            out.append((path, command))
    return out


def _flags(command: click.Command) -> list[str]:
    return [max(p.opts, key=len) for p in command.params
            if isinstance(p, click.Option) and p.name != "help"]


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_in_the_readme(name: str) -> None:
    _readme_row(name)


# Known gaps in documents other people own; strict, so fixing one fails here
# until its entry is removed.
KNOWN_GAPS: dict[str, str] = {}


def _cases() -> list[object]:
    return [pytest.param(path, command, id=path,
                         marks=[pytest.mark.xfail(reason=KNOWN_GAPS[path], strict=True)]
                         if path in KNOWN_GAPS else [])
            for path, command in _leaves(main)]


@pytest.mark.parametrize("path, command", _cases())
def test_every_option_is_documented(path: str, command: click.Command) -> None:
    top, _, sub = path.partition(" ")
    if sub:  # subcommands: the README row names them, the group's document explains them
        assert re.search(rf"\b{re.escape(sub)}\b", _readme_row(top)), path
        text = GROUP_DOCS[top]
    else:
        text = _readme_row(top)
    for flag in _flags(command):
        assert flag in text, f"{flag} of `nl2sql {path}` is not documented"


@pytest.mark.parametrize("path, command", _leaves(main), ids=lambda v: v if isinstance(v, str)
                         else "")
def test_every_option_has_help_text(path: str, command: click.Command) -> None:
    bare = [max(p.opts, key=len) for p in command.params
            if isinstance(p, click.Option) and not p.help]
    assert not bare, f"nl2sql {path}: options without help: {bare}"


def test_command_summaries_are_not_cut_off() -> None:
    # `nl2sql --help` on an 80-column terminal, as most people see it.
    text = main.get_help(click.Context(main, terminal_width=80))
    commands = text.split("Commands:", 1)[1]
    assert "..." not in commands, commands
