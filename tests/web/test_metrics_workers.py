"""/metrics under real gunicorn with two workers: prometheus_client's multiprocess
mode sums every worker's counts, whichever worker answers the scrape, and no
request (an invented HTTP method, say) adds a label series."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.multiprocess import MultiProcessCollector

from tests.web.servers import gunicorn, http, raw_request
from tests.web.test_metrics import parse

pytestmark = pytest.mark.slow

HEALTHZ = 'nl2sql_http_requests_total{endpoint="/healthz",method="GET",status="200"}'
BATCH = 40


def _scrape(url: str) -> dict[str, float]:
    status, _, body = http("GET", f"{url}/metrics")
    assert status == 200
    return parse(body.decode())


def _per_worker(metrics_dir: Path, scratch: Path) -> dict[str, float]:
    """Each worker's own count of GET /healthz, read from its file alone."""
    counts = {}
    for db in metrics_dir.glob("counter_*.db"):
        alone = scratch / db.stem
        alone.mkdir(parents=True, exist_ok=True)
        shutil.copy(db, alone / db.name)
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(alone))
        counts[db.stem] = sum(
            s.value for metric in registry.collect() for s in metric.samples
            if s.name == "nl2sql_http_requests_total"
            and s.labels == {"endpoint": "/healthz", "method": "GET", "status": "200"})
    return counts


def test_metrics_sum_every_worker_and_methods_stay_bounded(web_db: Path,
                                                           tmp_path: Path) -> None:
    metrics_dir = tmp_path / "prometheus"
    env = {"NL2SQL_WAREHOUSE": f"duckdb:///{web_db}", "NL2SQL_MODEL": "offline",
           "NL2SQL_STATE_DB": str(tmp_path / "state.sqlite3"),
           "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
    with gunicorn(env, tmp_path / "gunicorn.log", workers=2) as url:
        before = _scrape(url).get(HEALTHZ, 0.0)  # the start-up health checks

        # Concurrent requests until both workers have answered some: the kernel
        # hands connections to whichever worker accepts first.
        sent = 0
        with ThreadPoolExecutor(max_workers=8) as pool:
            for _ in range(10):
                statuses = list(pool.map(lambda _: http("GET", f"{url}/healthz")[0],
                                         range(BATCH)))
                assert statuses == [200] * BATCH
                sent += BATCH
                workers = _per_worker(metrics_dir, tmp_path / "scratch")
                if sum(1 for n in workers.values() if n > 0) >= 2:
                    break
        served = {w: n for w, n in workers.items() if n > 0}
        assert len(served) >= 2, f"one worker answered everything: {workers}"

        # Every scrape, whichever worker serves it, reports the service-wide sum.
        for _ in range(6):
            assert _scrape(url)[HEALTHZ] == before + sent == sum(served.values())

        # Invented methods are counted, under one bounded label value.
        for method in ("BREW", "PURGE", "FOOBAR"):
            status, _ = raw_request(url, f"{method} /healthz HTTP/1.1\r\nHost: x\r\n"
                                         "Connection: close\r\n\r\n".encode())
            assert status == 405
        samples = _scrape(url)
    series = [k for k in samples if k.startswith("nl2sql_http_requests_total{")]
    assert not any(m in k for k in series for m in ("BREW", "PURGE", "FOOBAR"))
    # A method no route allows matches no rule either: one series, summed over workers.
    assert samples['nl2sql_http_requests_total{endpoint="unmatched",method="other",'
                   'status="405"}'] == 3
