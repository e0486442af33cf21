"""The web tier's cost, measured side by side in one run: answers per second
through gunicorn against the same questions answered in-process.

The same settings (offline planner, one demo DuckDB file, a rate limit raised
far above the load, one bearer token per client so each client is its own user)
drive three sides, each with ``--clients`` concurrent callers asking the same
``--questions`` questions from a fixed mixed list the offline planner answers:

- ``in-process agent``: ``Runtime.agent().ask`` in threads — the core alone;
- ``in-process service``: ``Asker.prepare`` + ``Asker.run`` in threads — what the
  web layer calls, with the rate limit, the saved turn, metrics and the log line;
- ``http (gunicorn)``: ``POST /api/ask`` from client threads (one keep-alive
  connection each) to the real app under gunicorn as ``nl2sql serve`` runs it.

Each side is warmed first (metadata caches, connections). Rounds alternate the
sides so that a busy machine slows them alike; each side's rate is its median
over rounds. Every answer must come back ``answered`` with the same SQL on every
side, or the run fails. The headline ratio is http / in-process agent: what
HTTP, auth, state and metrics cost together.

    .venv/bin/python bench/web.py [--db data/demo.duckdb] [--scale 1] [--clients 50]
                                   [--questions 400] [--workers 2] [--rounds 3]
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nl2sql.config import Settings  # noqa: E402
from nl2sql.runtime import Runtime  # noqa: E402
from nl2sql.service import Services  # noqa: E402
from nl2sql.tokens import token_user  # noqa: E402
from nl2sql.warehouse.demo import build_demo  # noqa: E402
from nl2sql.web.logs import JsonFormatter  # noqa: E402
from nl2sql.web.server import THREADS, gunicorn_command  # noqa: E402

# Counts, sums, averages, a median, a percentage, groupings, top-N, a join and a
# defined metric: a mix of one-table and joined questions the planner answers.
QUESTIONS = [
    "How many orders are there?",
    "How many users are there by gender?",
    "What is the total sale price of all order items?",
    "What are the top 5 brands by number of order items?",
    "How many order items were created in each year?",
    "What percentage of orders are cancelled?",
    "What is the average retail price of products by department?",
    "Which country has the most users?",
    "How many orders are there by status?",
    "What is the revenue by product category?",
    "What is the average age of users by country?",
    "What is the median sale price of order items?",
]
# Far above any load here: the limiter still runs (a state write per question)
# but never refuses.
RATE_LIMIT = "1000000/minute"

Ask = Callable[[int, str], tuple[bool, str | None]]  # (client, question) -> (answered, sql)


@dataclass
class Run:
    """One side's timed pass: wall time, per-question latencies, answers and SQL."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    answered: int = 0
    sql: dict[str, str | None] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def drive(ask: Ask, clients: int, count: int) -> Run:
    """Ask ``count`` questions (cycling through QUESTIONS) from ``clients`` threads
    at once; each thread takes the next question as soon as it has its answer."""
    run = Run()
    lock = threading.Lock()
    taken = iter(range(count))
    start = threading.Barrier(clients + 1)

    def client(index: int) -> None:
        start.wait()
        while True:
            with lock:
                n = next(taken, None)
            if n is None:
                return
            question = QUESTIONS[n % len(QUESTIONS)]
            t0 = time.perf_counter()
            try:
                answered, sql = ask(index, question)
            except Exception as e:  # noqa: BLE001 - reported, and the run fails
                answered, sql = False, None
                with lock:
                    run.errors.append(f"{question}: {type(e).__name__}: {e}")
            elapsed = time.perf_counter() - t0
            with lock:
                run.latencies.append(elapsed)
                run.answered += answered
                run.sql.setdefault(question, sql)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    run.seconds = time.perf_counter() - t0
    return run


# -- the sides -----------------------------------------------------------------------

def tokens_for(clients: int) -> list[str]:
    return [f"bench-client-{i:03d}" for i in range(clients)]


def bench_env(db: Path, state: Path, clients: int) -> dict[str, str]:
    """The settings both sides use, as the environment gunicorn gets."""
    return {"NL2SQL_WAREHOUSE": f"duckdb:///{db.resolve()}", "NL2SQL_MODEL": "offline",
            "NL2SQL_STATE_DB": str(state), "NL2SQL_RATE_LIMIT": RATE_LIMIT,
            "NL2SQL_API_TOKENS": ",".join(tokens_for(clients))}


def agent_side(runtime: Runtime) -> Ask:
    def ask(client: int, question: str) -> tuple[bool, str | None]:
        answer, _ = runtime.agent().ask(question)
        return answer.answered, answer.sql
    return ask


def service_side(services: Services, clients: int) -> Ask:
    users = [token_user(t) for t in tokens_for(clients)]  # the users the API sees

    def ask(client: int, question: str) -> tuple[bool, str | None]:
        asker, user = services.asker, users[client]
        data = asker.run(asker.prepare(user, question, interface="web", rate_key=user))
        return bool(data["answered"]), data["sql"]
    return ask


def http_side(url: str, clients: int) -> Ask:
    host, port = url.removeprefix("http://").split(":")
    tokens = tokens_for(clients)
    local = threading.local()  # one keep-alive connection per client thread

    def post(client: int, body: bytes) -> tuple[int, bytes]:
        conn = getattr(local, "conn", None)
        for attempt in (1, 2):
            if conn is None:
                conn = local.conn = http.client.HTTPConnection(host, int(port), timeout=120)
            try:
                conn.request("POST", "/api/ask", body, {
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {tokens[client]}"})
                response = conn.getresponse()
                return response.status, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: open a new one, once.
                conn.close()
                conn = local.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def ask(client: int, question: str) -> tuple[bool, str | None]:
        status, raw = post(client, json.dumps({"question": question}).encode())
        if status != 200:
            raise RuntimeError(f"HTTP {status}: {raw[:200]!r}")
        data = json.loads(raw)
        return bool(data["answered"]), data["sql"]
    return ask


@contextmanager
def gunicorn(env: dict[str, str], workers: int, log: Path) -> Iterator[str]:
    """The app under gunicorn exactly as `nl2sql serve` runs it; yields its base URL."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("NL2SQL_", "GEMINI_", "GOOGLE_", "PROMETHEUS_"))}
    with log.open("wb") as out:
        proc = subprocess.Popen(gunicorn_command("127.0.0.1", port, workers), cwd=ROOT,
                                env={**base, **env}, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    raise SystemExit(f"gunicorn exited: {log.read_text()[-2000:]}")
                try:
                    with urllib.request.urlopen(f"{url}/healthz", timeout=5) as r:
                        if r.status == 200:
                            break
                except (OSError, urllib.error.URLError):
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn did not start: {log.read_text()[-2000:]}")
                time.sleep(0.2)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


# -- the report ----------------------------------------------------------------------

def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summary(runs: list[Run]) -> tuple[float, float, float]:
    """Median rate over rounds; p50 and p95 latency over every question asked."""
    latencies = [x for r in runs for x in r.latencies]
    return (statistics.median(r.rate for r in runs), percentile(latencies, 50),
            percentile(latencies, 95))


def check(name: str, runs: list[Run], count: int, reference: dict[str, str | None]) -> list[str]:
    """What is wrong with a side's answers: errors, declines, SQL unlike the reference."""
    problems = [f"{name}: {e}" for r in runs for e in r.errors[:3]]
    for i, r in enumerate(runs, 1):
        if r.answered != count:
            problems.append(f"{name} round {i}: {r.answered}/{count} answered")
    for question, sql in runs[0].sql.items():
        if sql != reference.get(question):
            problems.append(f"{name}: different SQL for {question!r}: {sql!r}")
    return problems


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=ROOT / "data" / "demo.duckdb",
                    help="demo DuckDB file (built at --scale when missing)")
    ap.add_argument("--scale", type=float, default=1.0, help="scale of a demo file to build")
    ap.add_argument("--clients", type=int, default=50, help="concurrent clients (and threads)")
    ap.add_argument("--questions", type=int, default=400, help="questions per side and round")
    ap.add_argument("--workers", type=int, default=2,
                    help="gunicorn workers (the `nl2sql serve` default, for 2 cores)")
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds per side, alternating")
    args = ap.parse_args()
    if not args.db.is_file():
        print(f"building the demo warehouse at scale {args.scale:g}: {args.db}", flush=True)
        build_demo(args.db, scale=args.scale)

    with tempfile.TemporaryDirectory(prefix="nl2sql-webbench-") as tmp:
        work = Path(tmp)
        env = bench_env(args.db, work / "http-state.sqlite3", args.clients)
        # The in-process side: same settings, its own state file, its log lines
        # written as JSON like the server's (the service logs each answer).
        settings = Settings.from_env({**env, "NL2SQL_STATE_DB": str(work / "state.sqlite3")})
        handler = logging.FileHandler(work / "inprocess.log")
        handler.setFormatter(JsonFormatter())
        root = logging.getLogger("nl2sql")
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        root.propagate = False
        runtime = Runtime(settings)
        services = Services.build(runtime)
        with gunicorn(env, args.workers, work / "gunicorn.log") as url:
            sides: dict[str, Ask] = {
                "in-process agent": agent_side(runtime),
                "in-process service": service_side(services, args.clients),
                "http (gunicorn)": http_side(url, args.clients),
            }
            # Warm-up: every question on every side, from every client, so each
            # gunicorn worker has its caches and each client its connection.
            warm = max(args.clients, len(QUESTIONS)) * 2
            for ask in sides.values():
                drive(ask, args.clients, warm)
            results: dict[str, list[Run]] = {name: [] for name in sides}
            for _ in range(args.rounds):
                for name, ask in sides.items():
                    results[name].append(drive(ask, args.clients, args.questions))
        runtime.close()
        root.removeHandler(handler)
        handler.close()

    cpus = os.cpu_count()
    print(f"web tier: {args.clients} clients, {args.questions} questions per side and round, "
          f"{args.rounds} rounds; gunicorn {args.workers} workers x {THREADS} threads; "
          f"{args.db.name}; {cpus} CPUs")
    print(f"{'side':22} {'answers/s':>10} {'p50 ms':>8} {'p95 ms':>8} {'answered':>12}")
    rates: dict[str, float] = {}
    for name, runs in results.items():
        rate, p50, p95 = summary(runs)
        rates[name] = rate
        answered = sum(r.answered for r in runs)
        print(f"{name:22} {rate:10.1f} {p50 * 1000:8.1f} {p95 * 1000:8.1f} "
              f"{answered:>7}/{args.questions * args.rounds}")
    web = rates["http (gunicorn)"]
    for base in ("in-process agent", "in-process service"):
        ratio = web / rates[base] if rates[base] else 0.0
        print(f"ratio http / {base}: {ratio:.2f} (overhead {(1 - ratio) * 100:.0f}%)")
    reference = results["in-process agent"][0].sql
    problems = [p for name, runs in results.items()
                for p in check(name, runs, args.questions, reference)]
    if problems:
        print("\n".join(["answers differ or failed:", *problems]), file=sys.stderr)
        sys.exit(1)
    print("target: overhead <= 30% (http / in-process agent >= 0.70)")


if __name__ == "__main__":
    main()
