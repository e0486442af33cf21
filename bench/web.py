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

The in-process sides run in as many processes as gunicorn has workers (the
threads split between them, one question counter and one state file shared, as
gunicorn's workers share theirs): one process alone would be held back by the
GIL where gunicorn is not. The HTTP clients run in this process, so their own
CPU (building requests, parsing JSON) counts against the HTTP side. Each side
is warmed first (metadata caches, connections). Rounds alternate the sides
(each round starting with another) so that a busy machine slows them alike;
a side's rate is its median over rounds, and a ratio the median of the rounds'
ratios. Every answer must come back ``answered`` with the same SQL on every
side, or the run fails. The headline ratio is http / in-process agent: what
HTTP, auth, state and metrics cost together. Each side's CPU per answer is
measured too (every thread of the answering processes; for HTTP gunicorn's
master and workers, the clients' apart): on a machine shared with other work
the rates move with its load, CPU per answer hardly does.

    .venv/bin/python bench/web.py [--db data/demo.duckdb] [--scale 1] [--clients 50]
                                   [--questions 200] [--workers 2] [--processes N] [--rounds 6]
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import multiprocessing
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
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loadgen import Ask, Run, counting, drive, own_cpu, summary, tree_cpu  # noqa: E402

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
    "What are the top 4 brands by number of order items?",
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

# -- the sides -----------------------------------------------------------------------

def tokens_for(clients: int) -> list[str]:
    return [f"bench-client-{i:03d}" for i in range(clients)]


def bench_env(db: Path, state: Path, clients: int) -> dict[str, str]:
    """The settings every side uses, as the environment gunicorn gets."""
    return {"NL2SQL_WAREHOUSE": f"duckdb:///{db.resolve()}", "NL2SQL_MODEL": "offline",
            "NL2SQL_STATE_DB": str(state), "NL2SQL_RATE_LIMIT": RATE_LIMIT,
            "NL2SQL_API_TOKENS": ",".join(tokens_for(clients))}


def inprocess_sides(env: dict[str, str], log: Path) -> tuple[Runtime, dict[str, Ask]]:
    """The agent alone, and the answer service the web layer calls, on one runtime;
    the service's log lines are written as JSON to ``log``, like the server's."""
    handler = logging.FileHandler(log)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("nl2sql")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    root.propagate = False
    runtime = Runtime(Settings.from_env(env))
    services = Services.build(runtime)
    users = [token_user(t) for t in env["NL2SQL_API_TOKENS"].split(",")]  # as the API sees

    def agent(client: int, question: str) -> tuple[bool, str | None]:
        answer, _ = runtime.agent().ask(question)
        return answer.answered, answer.sql

    def service(client: int, question: str) -> tuple[bool, str | None]:
        asker, user = services.asker, users[client]
        data = asker.run(asker.prepare(user, question, interface="web", rate_key=user))
        return bool(data["answered"]), data["sql"]
    return runtime, {"in-process agent": agent, "in-process service": service}


def child(conn: Connection, barrier: Any, counter: Any, env: dict[str, str], log: str,
          first_client: int, clients: int) -> None:
    """One in-process worker: answers ``(side, count)`` orders until told None."""
    runtime, sides = inprocess_sides(env, Path(log))

    def take_shared() -> str | None:
        with counter.get_lock():
            if counter.value >= count:
                return None
            counter.value += 1
            return QUESTIONS[(counter.value - 1) % len(QUESTIONS)]

    while (order := conn.recv()) is not None:
        side, count = order
        cpu = own_cpu()
        run = drive(sides[side], clients, take_shared, first_client=first_client,
                    ready=barrier.wait)
        run.cpu = own_cpu() - cpu
        conn.send(run)
    runtime.close()


class InProcess:
    """The in-process sides in as many processes as gunicorn has workers, the
    clients' threads split between them, sharing one question counter and one
    state file as gunicorn's workers do."""

    def __init__(self, env: dict[str, str], processes: int, clients: int, work: Path) -> None:
        ctx = multiprocessing.get_context("spawn")  # no fork of a process holding threads
        self.barrier = ctx.Barrier(processes + 1)
        self.counter = ctx.Value("q", 0)
        self.conns: list[Connection] = []
        self.procs = []
        first = 0
        for i in range(processes):
            mine = clients // processes + (i < clients % processes)
            parent, there = ctx.Pipe()
            proc = ctx.Process(target=child, daemon=True, args=(
                there, self.barrier, self.counter, env, str(work / f"inprocess-{i}.log"),
                first, mine))
            proc.start()
            self.conns.append(parent)
            self.procs.append(proc)
            first += mine

    def ask(self, side: str) -> Callable[[int], Run]:
        def run(count: int) -> Run:
            self.counter.value = 0
            for conn in self.conns:
                conn.send((side, count))
            self.barrier.wait()
            return Run.merge([conn.recv() for conn in self.conns])
        return run

    def close(self) -> None:
        for conn in self.conns:
            conn.send(None)
        for proc in self.procs:
            proc.join(timeout=30)


def http_run(ask: Ask, clients: int, server: int) -> Callable[[int], Run]:
    """The HTTP side's pass: the clients here, the CPU of gunicorn's processes."""
    def run(count: int) -> Run:
        server_cpu, cpu = tree_cpu(server), own_cpu()
        result = drive(ask, clients, counting(QUESTIONS, count))
        result.cpu, result.client_cpu = tree_cpu(server) - server_cpu, own_cpu() - cpu
        return result
    return run


def http_side(url: str, clients: int) -> Ask:
    host, port = url.removeprefix("http://").split(":")
    tokens = tokens_for(clients)
    local = threading.local()  # one keep-alive connection per client thread

    def post(client: int, body: bytes) -> tuple[int, bytes]:
        for attempt in (1, 2):
            conn = getattr(local, "conn", None)
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
                local.conn = None
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
def gunicorn(env: dict[str, str], workers: int, threads: int,
             log: Path) -> Iterator[tuple[str, int]]:
    """The app under gunicorn exactly as `nl2sql serve` runs it; yields its base URL
    and the master's pid."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("NL2SQL_", "GEMINI_", "GOOGLE_", "PROMETHEUS_"))}
    with log.open("wb") as out:
        proc = subprocess.Popen(gunicorn_command("127.0.0.1", port, workers, threads), cwd=ROOT,
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
            yield url, proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


# -- the report ----------------------------------------------------------------------

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
    ap.add_argument("--questions", type=int, default=200, help="questions per side and round")
    ap.add_argument("--workers", type=int, default=2,
                    help="gunicorn workers (the `nl2sql serve` default, for 2 cores)")
    ap.add_argument("--threads", type=int, default=THREADS,
                    help="threads per gunicorn worker (`nl2sql serve --threads`)")
    ap.add_argument("--processes", type=int, default=0,
                    help="processes the in-process sides run in (default: --workers)")
    ap.add_argument("--rounds", type=int, default=6, help="timed rounds per side, alternating")
    args = ap.parse_args()
    processes = args.processes or args.workers
    if not args.db.is_file():
        print(f"building the demo warehouse at scale {args.scale:g}: {args.db}", flush=True)
        build_demo(args.db, scale=args.scale)

    with tempfile.TemporaryDirectory(prefix="nl2sql-webbench-") as tmp:
        work = Path(tmp)
        env = bench_env(args.db, work / "http-state.sqlite3", args.clients)
        inprocess = InProcess({**env, "NL2SQL_STATE_DB": str(work / "state.sqlite3")},
                              processes, args.clients, work)
        try:
            with gunicorn(env, args.workers, args.threads, work / "gunicorn.log") as (url, server):
                web = http_run(http_side(url, args.clients), args.clients, server)
                sides: dict[str, Callable[[int], Run]] = {
                    "in-process agent": inprocess.ask("in-process agent"),
                    "in-process service": inprocess.ask("in-process service"),
                    "http (gunicorn)": web,
                }
                # Warm-up: every question on every side, from every client, so each
                # process has its metadata caches and each client its connection.
                for run in sides.values():
                    run(max(args.clients, len(QUESTIONS)) * 2)
                results: dict[str, list[Run]] = {name: [] for name in sides}
                names = list(sides)
                for r in range(args.rounds):
                    # A different side first each round: none always follows another.
                    for name in names[r % len(names):] + names[:r % len(names)]:
                        results[name].append(sides[name](args.questions))
        finally:
            inprocess.close()

    print(f"web tier: {args.clients} clients, {args.questions} questions per side and round, "
          f"{args.rounds} rounds; gunicorn {args.workers} workers x {args.threads} threads; "
          f"in-process: {processes} processes, {args.clients} threads in all; "
          f"{args.db.name}; {os.cpu_count()} CPUs")
    print(f"{'side':20} {'answers/s':>9} {'p50 ms':>7} {'p95 ms':>7} {'CPU ms/answer':>13} "
          f"{'client CPU':>10} {'answered':>10}")
    cpus: dict[str, float] = {}
    for name, runs in results.items():
        rate, p50, p95 = summary(runs)
        asked = sum(len(r.latencies) for r in runs)
        cpus[name] = sum(r.cpu for r in runs) / asked * 1000
        client = sum(r.client_cpu for r in runs) / asked * 1000
        answered = sum(r.answered for r in runs)
        print(f"{name:20} {rate:9.1f} {p50 * 1000:7.0f} {p95 * 1000:7.0f} {cpus[name]:13.1f} "
              f"{client:10.1f} {answered:>5}/{args.questions * args.rounds}")
    for base in ("in-process agent", "in-process service"):
        # Each round's ratio compares sides measured minutes apart at most, under
        # the same load from whatever else the machine runs; the median of those.
        ratio = statistics.median(h.rate / b.rate for h, b in
                                  zip(results["http (gunicorn)"], results[base], strict=True))
        cpu = cpus["http (gunicorn)"] / cpus[base] if cpus[base] else 0.0
        print(f"http / {base}: answers/s ratio {ratio:.2f} (overhead {(1 - ratio) * 100:.0f}%); "
              f"server CPU per answer x{cpu:.2f}")
    reference = results["in-process agent"][0].sql
    problems = [p for name, runs in results.items()
                for p in check(name, runs, args.questions, reference)]
    if problems:
        print("\n".join(["answers differ or failed:", *problems]), file=sys.stderr)
        sys.exit(1)
    print("target: overhead <= 30% (http / in-process agent >= 0.70)")


if __name__ == "__main__":
    main()
