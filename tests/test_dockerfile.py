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


def _stages() -> list[list[str]]:
    """The instructions of each build stage, in order."""
    stages: list[list[str]] = []
    for line in LINES:
        if line.split(None, 1)[0] == "FROM":
            stages.append([])
        stages[-1].append(line)
    return stages


def test_copied_paths_exist() -> None:
    for args in _instructions("COPY"):
        if args.startswith("--from="):
            continue  # copied from an earlier stage, not from the repository
        *sources, _ = args.split()
        assert all((REPO / s).exists() for s in sources), args


def test_the_image_installs_a_wheel_built_in_its_own_stage() -> None:
    build, runtime = _stages()
    assert any("pip wheel --no-deps" in line for line in build)
    assert not any(line.startswith("COPY nl2sql") for line in runtime)  # no source tree
    assert any(line.startswith("COPY --from=") for line in runtime)
    assert any("pip install --no-deps /wheels/" in line for line in runtime)
    assert not any("pip install -e" in line for line in LINES)


def test_dependencies_install_pinned_before_the_wheel_is_copied() -> None:
    # A code change must not reinstall every dependency, and the image gets the
    # exact versions CI tested (constraints.txt).
    _, runtime = _stages()
    deps = next(i for i, line in enumerate(runtime) if "-c constraints.txt" in line)
    wheel = next(i for i, line in enumerate(runtime) if line.startswith("COPY --from="))
    assert deps < wheel
    assert "COPY pyproject.toml constraints.txt ./" in runtime[:deps]


def test_files_the_wheel_build_reads_are_copied_before_it() -> None:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    wheel = project["tool"]["hatch"]["build"]["targets"]["wheel"]
    needed = {"pyproject.toml", project["project"]["readme"],
              *project["project"].get("license-files", ["LICENSE"]),
              *wheel["packages"], *wheel["force-include"]}
    build, _ = _stages()
    install = next(i for i, line in enumerate(build) if "pip wheel" in line)
    copied = {s for line in build[:install] if line.startswith("COPY ")
              for s in line.split()[1:-1]}
    assert needed <= copied, f"missing before pip wheel: {needed - copied}"


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
    # The health check asks whether the service can answer, not only whether it runs.
    assert f"127.0.0.1:{port}/readyz" in _instructions("HEALTHCHECK")[-1]
