"""The Dockerfile, read statically (docker cannot run here): what issue 2 asks of the image."""

from __future__ import annotations

import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LINES = [line for line in re.sub(r"\\\n", " ", (REPO / "Dockerfile").read_text()).splitlines()
         if line.strip() and not line.lstrip().startswith("#")]


def _instructions(name: str) -> list[str]:
    return [line.split(None, 1)[1] for line in LINES if line.split(None, 1)[0] == name]


def test_copied_paths_exist() -> None:
    for args in _instructions("COPY"):
        *sources, _ = args.split()
        assert all((REPO / s).exists() for s in sources), args


def test_dependencies_install_before_the_code_is_copied() -> None:
    # A code change must not reinstall every dependency.
    install = next(i for i, line in enumerate(LINES) if "pip install" in line)
    code = next(i for i, line in enumerate(LINES) if line.startswith("COPY nl2sql"))
    assert install < code


def test_files_the_install_reads_are_copied_before_it() -> None:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    needed = {"pyproject.toml", project["readme"], *project.get("license-files", [])}
    install = next(i for i, line in enumerate(LINES) if "pip install" in line)
    copied = {s for line in LINES[:install] if line.startswith("COPY ")
              for s in line.split()[1:-1]}
    assert needed <= copied, f"missing before pip install: {needed - copied}"


def test_demo_is_built_at_image_build_and_the_app_runs_as_a_non_root_user() -> None:
    runs = _instructions("RUN")
    assert any("nl2sql demo-data" in r and "--scale 1" in r for r in runs)
    user = _instructions("USER")
    assert user and user[-1] not in ("root", "0")
    assert LINES.index(f"USER {user[-1]}") < LINES.index(next(x for x in LINES
                                                              if x.startswith("CMD")))


def test_the_app_is_served_by_nl2sql_serve_on_all_interfaces() -> None:
    # `nl2sql serve` execs gunicorn with the options `make run` uses.
    cmd = json.loads(_instructions("CMD")[-1])
    assert cmd[:2] == ["nl2sql", "serve"]
    assert cmd[cmd.index("--host") + 1] == "0.0.0.0"
    port = cmd[cmd.index("--port") + 1]
    assert _instructions("EXPOSE") == [port]
    assert f"127.0.0.1:{port}/healthz" in _instructions("HEALTHCHECK")[-1]
