"""The layering the README describes, checked on the source.

Every ``import`` statement counts, including imports inside functions and
under ``TYPE_CHECKING``: a lazy import hides a cycle from the interpreter, not
from a reader. Interfaces (``web``, the CLI) sit on top of the core; the
answer service and everything it uses never import an interface.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "nl2sql"
#: the only modules allowed to import ``nl2sql.web``: itself and the command that serves it
WEB_IMPORTERS = ("nl2sql.web", "nl2sql.cli")


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported_modules(module: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The nl2sql modules ``module`` imports: ``from a import b`` is ``a.b`` when that
    is a module, else ``a`` (so a package's ``__init__`` counts only when it is used)."""

    def resolve(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base
                     for a in node.names]
        for name in names:
            target = resolve(name) if name.startswith("nl2sql") else None
            if target and target != module:
                yield target


def import_graph() -> dict[str, set[str]]:
    """Module -> the nl2sql modules it imports."""
    known = modules()
    return {m: set(imported_modules(m, path, known)) for m, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_graph_sees_lazy_and_relative_imports() -> None:
    graph = import_graph()
    assert "nl2sql.service" in graph["nl2sql.slack.service"]
    assert "nl2sql.web.api" in graph["nl2sql.web.stream"]


def test_the_cycle_finder_finds_a_cycle_hidden_by_a_lazy_import() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_only_the_web_app_and_the_cli_import_the_web_package() -> None:
    # So slack/, reports/, state/, models/, warehouse/, safety/ and the answer
    # service can run without Flask, and a change to the web app stays there.
    offenders = sorted(
        f"{module} imports {target}"
        for module, targets in import_graph().items() for target in targets
        if within(target, "nl2sql.web")
        and not any(within(module, allowed) for allowed in WEB_IMPORTERS))
    assert offenders == []


MAX_LINES = 400


def test_no_module_over_400_lines() -> None:
    sizes = {str(p.relative_to(PACKAGE.parent)): len(p.read_text(encoding="utf-8").splitlines())
             for p in PACKAGE.rglob("*.py")}
    over = {path for path, n in sizes.items() if n > MAX_LINES}
    assert over == set(), {p: sizes[p] for p in over}
