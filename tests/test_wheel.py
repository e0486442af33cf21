"""The built wheel, installed into a fresh venv outside the checkout, as the
Docker image installs it: it must answer, serve the page and the API, and
validate the example reports from any directory (issue 15)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.servers import free_port, http

REPO = Path(__file__).resolve().parent.parent

# Installing the dependencies into a fresh venv takes minutes on a busy machine.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None,
         timeout: int = 600) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, f"{cmd}: {proc.stdout[-2000:]}{proc.stderr[-2000:]}"
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    """(bin dir, env) of a venv holding only the wheel and its pinned dependencies."""
    root = tmp_path_factory.mktemp("wheel")
    # The wheel stage copies only what the Dockerfile copies: build from that.
    src = root / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", "nl2sql", "schemas", "frontend"):
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(path, src / name)
    wheels = root / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir",
          str(wheels), "."], cwd=src)
    (wheel,) = wheels.glob("nl2sql-*.whl")

    venv = root / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=root)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    (root / "requirements.txt").write_text("\n".join(deps) + "\n")
    _run([*pip, "install", "--quiet", "-c", str(REPO / "constraints.txt"), "-r",
          str(root / "requirements.txt")], cwd=root, timeout=900)
    _run([*pip, "install", "--quiet", "--no-deps", str(wheel)], cwd=root)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NL2SQL_", "GEMINI_", "GOOGLE_", "SLACK_", "PYTHON"))}
    env["NL2SQL_STATE_DB"] = str(root / "state.sqlite3")
    yield venv / "bin", env


@pytest.fixture(scope="module")
def elsewhere(installed: tuple[Path, dict[str, str]],
              tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working directory far from the checkout, holding a small demo warehouse."""
    work = tmp_path_factory.mktemp("elsewhere")
    bin_dir, env = installed
    _run([str(bin_dir / "nl2sql"), "demo-data", "--path", "demo.duckdb", "--scale", "0.01"],
         cwd=work, env=env)
    return work


def test_the_package_is_imported_from_the_venv_not_the_checkout(
        installed: tuple[Path, dict[str, str]], elsewhere: Path) -> None:
    bin_dir, env = installed
    where = _run([str(bin_dir / "python"), "-c", "import nl2sql; print(nl2sql.__file__)"],
                 cwd=elsewhere, env=env).stdout.strip()
    assert str(REPO) not in where and "site-packages" in where


def test_ask_answers_from_another_directory(installed: tuple[Path, dict[str, str]],
                                            elsewhere: Path) -> None:
    bin_dir, env = installed
    out = _run([str(bin_dir / "nl2sql"), "ask", "--db", "demo.duckdb", "--json",
                "How many orders are there?"], cwd=elsewhere, env=env).stdout
    answer = json.loads(out)
    assert answer["rows"] and answer["sql"] and answer["steps"]
    assert [s["name"] for s in answer["steps"]][:1] == ["list_datasets"]



def test_dataset_files_come_from_the_package_or_the_team_directory(
        installed: tuple[Path, dict[str, str]], elsewhere: Path) -> None:
    bin_dir, env = installed
    ask = [str(bin_dir / "nl2sql"), "ask", "--db", "demo.duckdb", "--json"]
    # The packaged definitions, read through importlib.resources: revenue's rule applies.
    packaged = json.loads(_run([*ask, "What is the total revenue?"], cwd=elsewhere,
                               env=env).stdout)
    assert "'Cancelled'" in packaged["sql"] and "'Returned'" in packaged["sql"]
    # A team's own file of the same name takes precedence (NL2SQL_DATASETS_DIR).
    import yaml

    own = elsewhere / "team-datasets"
    own.mkdir(exist_ok=True)
    data = yaml.safe_load((REPO / "schemas" / "datasets" / "thelook_ecommerce.yaml").read_text())
    next(m for m in data["metrics"] if m["name"] == "revenue")["filters"] = [
        "status = 'Complete'"]
    (own / "thelook_ecommerce.yaml").write_text(yaml.safe_dump(data))
    overridden = json.loads(_run([*ask, "What is the total revenue?"], cwd=elsewhere,
                                 env={**env, "NL2SQL_DATASETS_DIR": str(own)}).stdout)
    assert "'Complete'" in overridden["sql"] and "'Cancelled'" not in overridden["sql"]

def test_report_validate_runs_on_the_example(installed: tuple[Path, dict[str, str]],
                                             elsewhere: Path) -> None:
    bin_dir, env = installed
    shutil.copy(REPO / "examples" / "reports.yaml", elsewhere / "reports.yaml")
    out = _run([str(bin_dir / "nl2sql"), "report", "validate", "--config", "reports.yaml"],
               cwd=elsewhere, env=env).stdout
    assert "ok, 2 report(s)" in out


def test_serve_delivers_the_page_and_the_api(installed: tuple[Path, dict[str, str]],
                                             elsewhere: Path) -> None:
    bin_dir, env = installed
    port = free_port()
    env = {**env, "NL2SQL_WAREHOUSE": f"duckdb:///{elsewhere / 'demo.duckdb'}"}
    proc = subprocess.Popen([str(bin_dir / "nl2sql"), "serve", "--port", str(port)],
                            cwd=elsewhere, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if http("GET", f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert proc.poll() is None, "nl2sql serve exited"
            import time

            time.sleep(0.2)
        status, headers, body = http("GET", f"{base}/")
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        assert b"<script" in body
        status, _, body = http("GET", f"{base}/static/js/app.js")
        assert status == 200 and b"import" in body
        status, _, body = http("GET", f"{base}/api/datasets")
        assert status == 200
        assert "thelook_ecommerce" in json.dumps(json.loads(body))
        status, _, body = http("POST", f"{base}/api/ask",
                               {"question": "How many users are there?"})
        assert status == 200 and json.loads(body)["rows"]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
