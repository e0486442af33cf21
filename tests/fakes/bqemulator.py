"""BigQuery peers for tests: the bqemulator process, and a tiny scripted REST server.

``start_emulator`` runs `bqemulator` (PyPI) from its own virtualenv, built and
cached by ``scripts/setup-bqemulator.sh``, on free loopback ports with its
DuckDB spatial extension installed from the wheel into a temporary HOME. The
official client talks to it over real HTTP.

The emulator reports 0 bytes and ignores ``maximum_bytes_billed`` and job
timeouts, so ``FakeBigQuery`` answers the few REST calls those cases need
(dry runs with a scripted estimate and referenced tables, jobs that never
finish or fail on the byte limit, cancel, paginated dataset lists, a table's
metadata) and records every request for assertions.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

ROOT = Path(__file__).resolve().parents[2]
SETUP_SCRIPT = ROOT / "scripts" / "setup-bqemulator.sh"
PROJECT = "test-project"

_INSTALL_SPATIAL = """
import os, duckdb, duckdb_extension_spatial
ext = os.path.join(os.path.dirname(duckdb_extension_spatial.__file__),
                   "extensions", "v" + duckdb.__version__, "spatial.duckdb_extension")
duckdb.connect().execute(f"INSTALL '{ext}'")
"""


class EmulatorUnavailable(RuntimeError):
    """The emulator could not be set up or did not start; the message says why."""


def venv_dir() -> Path:
    return Path(os.environ.get("BQEMULATOR_VENV") or ROOT / ".cache" / "bqemulator-venv")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ensure_venv() -> Path:
    """The emulator's venv, built by the setup script when missing (idempotent)."""
    venv = venv_dir()
    env = {**os.environ, "BQEMULATOR_VENV": str(venv)}
    done = subprocess.run(["bash", str(SETUP_SCRIPT)], env=env, capture_output=True,
                          text=True, timeout=900, check=False)
    if done.returncode != 0 or not (venv / "bin" / "bqemulator").exists():
        tail = (done.stdout + done.stderr).strip().splitlines()[-15:]
        raise EmulatorUnavailable(f"{SETUP_SCRIPT.name} failed:\n" + "\n".join(tail))
    return venv


@dataclass
class Emulator:
    endpoint: str
    project: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def client(self) -> Any:
        """An official client on the emulator, anonymous."""
        from google.api_core.client_options import ClientOptions
        from google.auth.credentials import AnonymousCredentials
        from google.cloud import bigquery

        return bigquery.Client(project=self.project, credentials=AnonymousCredentials(),
                               client_options=ClientOptions(api_endpoint=self.endpoint))

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is None:
            # Our own child, started in its own session: signal its group by id.
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


def start_emulator(workdir: Path, project: str = PROJECT, wait_s: float = 90) -> Emulator:
    """Build (if needed) and start the emulator; raise ``EmulatorUnavailable`` if it can't."""
    venv = ensure_venv()
    home = workdir / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
           # The avro extension would be downloaded from the internet: keep it off.
           "BQEMU_ENABLE_FORMAT_EXTENSIONS": "false"}
    done = subprocess.run([str(venv / "bin" / "python"), "-c", _INSTALL_SPATIAL], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise EmulatorUnavailable(f"cannot install DuckDB spatial from the wheel: {done.stderr}")
    last = ""
    for _attempt in range(3):  # a free port can be taken between choosing and binding it
        rest, grpc = free_port(), free_port()
        log_path = workdir / f"bqemulator-{rest}.log"
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [str(venv / "bin" / "bqemulator"), "start", "--rest-host", "127.0.0.1",
                 "--rest-port", str(rest), "--grpc-host", "127.0.0.1", "--grpc-port", str(grpc),
                 "--project", project, "--log-level", "warning"],
                env=env, cwd=workdir, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
        emu = Emulator(f"http://127.0.0.1:{rest}", project, proc, log_path)
        if _wait_ready(emu, wait_s):
            return emu
        last = emu.log_tail()
        emu.stop()
    raise EmulatorUnavailable(f"bqemulator did not start; its log ends:\n{last}")


def _wait_ready(emu: Emulator, wait_s: float) -> bool:
    url = f"{emu.endpoint}/bigquery/v2/projects/{emu.project}/datasets"
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if emu.process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


# -- the scripted REST server -------------------------------------------------------


@dataclass
class FakeBigQuery:
    """Answers BigQuery REST calls from a script; ``requests`` records them all.

    Script: ``dry_run_bytes``, ``statement_type`` and ``referenced`` shape every dry
    run; ``job_mode`` is ``"ok"`` (returns ``schema``/``rows``), ``"hang"`` (never
    finishes), ``"poll_errors"`` (runs on while every wait for its results fails with
    a 503), ``"bytes_limit"`` (fails as BigQuery does over maximum_bytes_billed) or
    ``"fail_first"`` (the first job fails for ``fail_reason``, later ones succeed).
    """

    project: str = PROJECT
    dry_run_bytes: int = 0
    statement_type: str = "SELECT"
    referenced: list[tuple[str, str, str]] = field(default_factory=list)
    job_mode: str = "ok"
    fail_reason: str = "jobBackendError"
    schema: list[dict[str, Any]] = field(
        default_factory=lambda: [{"name": "n", "type": "INTEGER", "mode": "NULLABLE"}])
    rows: list[list[Any]] = field(default_factory=lambda: [[1]])
    datasets: list[str] = field(default_factory=list)
    #: "dataset.table" -> schema fields, served by tables.get as a 30-row TABLE
    #: and listed by tables.list
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: "dataset.table" -> fields merged into its resource, e.g. a view:
    #: {"type": "VIEW", "view": {"query": "SELECT ..."}}
    table_extra: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: dataset -> location (default "US")
    locations: dict[str, str] = field(default_factory=dict)
    page_size: int = 2
    requests: list[dict[str, Any]] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    #: destination tables of finished jobs ("anon_<job>" -> (schema, rows)), as BigQuery
    #: keeps them ~24 h; ``expire()`` forgets them
    destinations: dict[str, tuple[list[dict[str, Any]], list[list[Any]]]] = field(
        default_factory=dict)
    endpoint: str = ""
    _jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    _server: ThreadingHTTPServer | None = None

    def start(self) -> FakeBigQuery:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._answer("GET")

            def do_POST(self) -> None:
                self._answer("POST")

            def _answer(self, method: str) -> None:
                url = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}") if length else {}
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                fake.requests.append({"method": method, "path": url.path, "query": query,
                                      "body": body})
                status, payload = fake.handle(method, url.path, query, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.endpoint = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def expire(self) -> None:
        """The jobs' result tables are gone (24 hours later)."""
        self.destinations.clear()

    def jobs_started(self) -> list[dict[str, Any]]:
        """Configurations of the real (not dry-run) jobs inserted."""
        return [r["body"]["configuration"] for r in self.requests
                if r["method"] == "POST" and r["path"].endswith("/jobs")
                and not r["body"]["configuration"].get("dryRun")]

    # -- routing ------------------------------------------------------------------

    def handle(self, method: str, path: str, query: dict[str, str],
               body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        parts = path.removeprefix("/bigquery/v2/").strip("/").split("/")
        if parts[:1] != ["projects"] or len(parts) < 3:
            return _error(404, "notFound", f"no route {path}")
        rest = parts[2:]
        if rest == ["datasets"] and method == "GET":
            return self._list_datasets(query)
        if rest[0] == "datasets" and rest[1] == "_anon" and len(rest) >= 4:
            return self._destination(rest[3], data=len(rest) == 5, query=query)
        if rest[0] == "datasets" and len(rest) == 4 and rest[2] == "tables" and method == "GET":
            fields = self.tables.get(f"{rest[1]}.{rest[3]}")
            if fields is None:
                return _error(404, "notFound", f"Not found: Table {rest[1]}.{rest[3]}")
            return 200, {"tableReference": {"projectId": self.project, "datasetId": rest[1],
                                            "tableId": rest[3]},
                         "type": "TABLE", "numRows": "30", "lastModifiedTime": "1700000000000",
                         "schema": {"fields": fields},
                         **self.table_extra.get(f"{rest[1]}.{rest[3]}", {})}
        if rest[0] == "datasets" and len(rest) == 3 and rest[2] == "tables" and method == "GET":
            return self._list_tables(rest[1], query)
        if rest[0] == "datasets" and len(rest) == 2:
            return 200, {"datasetReference": {"projectId": self.project, "datasetId": rest[1]},
                         "description": f"About {rest[1]}",
                         "location": self.locations.get(rest[1], "US")}
        if rest == ["jobs"] and method == "POST":
            return self._insert_job(body)
        if rest[0] == "jobs" and len(rest) == 3 and rest[2] == "cancel":
            self.cancelled.append(rest[1])
            self._jobs[rest[1]]["status"] = {"state": "DONE"}
            return 200, {"kind": "bigquery#jobCancelResponse", "job": self._jobs[rest[1]]}
        if rest[0] == "jobs" and len(rest) == 2:
            return 200, self._jobs[rest[1]]
        if rest[0] == "queries" and len(rest) == 2:
            return self._results(rest[1], query)
        return _error(404, "notFound", f"no route {method} {path}")

    def _list_datasets(self, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        start = int(query.get("pageToken") or 0)
        page = self.datasets[start:start + self.page_size]
        out: dict[str, Any] = {"datasets": [
            {"datasetReference": {"projectId": self.project, "datasetId": d}} for d in page]}
        if start + self.page_size < len(self.datasets):
            out["nextPageToken"] = str(start + self.page_size)
        return 200, out

    def _destination(self, table: str, *, data: bool,
                     query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if table not in self.destinations:
            return _error(404, "notFound", f"Not found: Table {self.project}:_anon.{table}")
        schema, rows = self.destinations[table]
        ref = {"projectId": self.project, "datasetId": "_anon", "tableId": table}
        if not data:
            return 200, {"tableReference": ref, "type": "TABLE", "numRows": str(len(rows)),
                         "schema": {"fields": schema}}
        start = int(query.get("pageToken") or 0)
        size = int(query.get("maxResults") or 100)
        out: dict[str, Any] = {"totalRows": str(len(rows)), "rows": [
            {"f": [{"v": None if v is None else str(v)} for v in row]}
            for row in rows[start:start + size]]}
        if start + size < len(rows):
            out["pageToken"] = str(start + size)
        return 200, out

    def _list_tables(self, dataset: str, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        names = sorted(k.split(".", 1)[1] for k in self.tables if k.split(".", 1)[0] == dataset)
        start = int(query.get("pageToken") or 0)
        size = int(query.get("maxResults") or self.page_size)
        page = names[start:start + size]
        out: dict[str, Any] = {"tables": [
            {"tableReference": {"projectId": self.project, "datasetId": dataset, "tableId": n},
             "type": self.table_extra.get(f"{dataset}.{n}", {}).get("type", "TABLE")}
            for n in page]}
        if start + size < len(names):
            out["nextPageToken"] = str(start + size)
        return 200, out

    def _insert_job(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        ref = dict(body.get("jobReference") or {})
        ref.setdefault("jobId", f"job_{len(self.requests)}")
        ref.update(projectId=self.project, location="US")
        config = body["configuration"]
        if config.get("dryRun"):
            tables = [{"projectId": p, "datasetId": d, "tableId": t} for p, d, t in self.referenced]
            stats = {"totalBytesProcessed": str(self.dry_run_bytes),
                     "statementType": self.statement_type, "referencedTables": tables}
            return 200, {"jobReference": ref, "configuration": config,
                         "status": {"state": "DONE"},
                         "statistics": {"totalBytesProcessed": str(self.dry_run_bytes),
                                        "query": stats}}
        job: dict[str, Any] = {"jobReference": ref, "configuration": config,
                               "status": {"state": "RUNNING"}, "statistics": {}}
        failing = self.job_mode == "fail_first" and not any(
            not j["configuration"].get("dryRun") for j in self._jobs.values())
        if failing:
            err = {"reason": self.fail_reason, "message": "The job encountered an internal "
                                                          "error during execution."}
            job["status"] = {"state": "DONE", "errorResult": err, "errors": [err]}
        elif self.job_mode in ("ok", "fail_first"):
            job["status"] = {"state": "DONE"}
            table = f"anon_{ref['jobId']}"
            config["query"]["destinationTable"] = {"projectId": self.project,
                                                   "datasetId": "_anon", "tableId": table}
            self.destinations[table] = (list(self.schema), [list(r) for r in self.rows])
            job["statistics"] = {"query": {"totalBytesProcessed": "1234",
                                           "totalBytesBilled": "10485760", "cacheHit": False,
                                           "statementType": "SELECT"}}
        elif self.job_mode == "bytes_limit":
            err = {"reason": "bytesBilledLimitExceeded",
                   "message": "Query exceeded limit for bytes billed: 1000. "
                              "10485760 or higher required."}
            job["status"] = {"state": "DONE", "errorResult": err, "errors": [err]}
        self._jobs[ref["jobId"]] = job
        return 200, job

    def _results(self, job_id: str, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        job = self._jobs[job_id]
        if self.job_mode == "poll_errors":
            time.sleep(0.05)
            return _error(503, "backendError", "Error encountered during execution. Retrying "
                          "may solve the problem.")
        if job["status"]["state"] != "DONE" or self.job_mode == "hang":
            # Like BigQuery, hold the call a little while the job runs.
            time.sleep(min(int(query.get("timeoutMs") or 0), 200) / 1000)
            return 200, {"jobReference": job["jobReference"], "jobComplete": False}
        if "errorResult" in job["status"]:
            err = job["status"]["errorResult"]
            return _error(400, err["reason"], err["message"])
        limit = int(query.get("maxResults") or len(self.rows))
        return 200, {
            "jobReference": job["jobReference"], "jobComplete": True,
            "schema": {"fields": self.schema}, "totalRows": str(len(self.rows)),
            "rows": [{"f": [{"v": v} for v in row]} for row in self.rows[:limit]],
        }


def _error(code: int, reason: str, message: str) -> tuple[int, dict[str, Any]]:
    return code, {"error": {"code": code, "message": message,
                            "errors": [{"reason": reason, "message": message}]}}
