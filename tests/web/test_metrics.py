"""/metrics: Prometheus text format (prometheus_client), bounded label values."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from nl2sql.metrics import METRICS, Metrics

NAME = r"[a-zA-Z_][a-zA-Z0-9_]*"
LABEL = NAME + r'="(?:[^"\\]|\\.)*"'
SAMPLE = re.compile(rf"^({NAME})(\{{{LABEL}(,{LABEL})*\}})? (-?[0-9.e+-]+|\+Inf)$")


def parse(text: str) -> dict[str, float]:
    """Check every line is well formed; return ``name{labels}`` -> value."""
    samples: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            continue
        m = SAMPLE.match(line)
        assert m, f"malformed metrics line: {line!r}"
        samples[line.rsplit(" ", 1)[0]] = float(m.group(4))
    return samples


def total(samples: dict[str, float], prefix: str) -> float:
    return sum(v for k, v in samples.items() if k.split("{")[0] == prefix)


def test_metrics_after_some_traffic(client: FlaskClient) -> None:
    client.post("/api/ask", json={"question": "How many orders by status?"})
    client.post("/api/ask", json={"question": "What is the weather?"})
    client.post("/api/ask", json={})
    client.post("/api/ask/stream", json={"question": "Is the model down?"}).get_data()
    r = client.get("/metrics")
    assert r.status_code == 200 and r.mimetype == "text/plain"
    assert "version=0.0.4" in r.headers["Content-Type"]
    text = r.get_data(as_text=True)
    for name, metric in METRICS.items():
        assert f"# TYPE {name} {metric.type}" in text
    s = parse(text)
    assert s['nl2sql_answers_total{answered="true",interface="web"}'] == 1
    assert s['nl2sql_answers_total{answered="false",interface="web"}'] == 1
    assert s['nl2sql_errors_total{kind="BadRequest",status="400"}'] == 1
    assert s['nl2sql_errors_total{kind="ModelError",status="503"}'] == 1
    assert s['nl2sql_model_calls_total{model="analyst"}'] == 4
    assert s['nl2sql_queries_total{ok="true"}'] == 1
    assert s["nl2sql_query_seconds_count"] == 1
    assert s['nl2sql_query_seconds_bucket{le="+Inf"}'] == 1
    assert 'nl2sql_bytes_processed_total' in text
    assert s['nl2sql_http_requests_total{endpoint="/api/ask",method="POST",status="200"}'] == 2
    assert s['nl2sql_http_requests_total{endpoint="/api/ask",method="POST",status="400"}'] == 1


def test_histograms_are_cumulative_and_complete() -> None:
    m = Metrics()
    for seconds in (0.02, 0.3, 7.0, 100.0):
        m.observe("nl2sql_query_seconds", seconds)
    s = parse(m.render())
    buckets = [v for k, v in s.items() if k.startswith("nl2sql_query_seconds_bucket")]
    assert buckets == sorted(buckets) and buckets[0] == 0 and buckets[-1] == 4
    assert s['nl2sql_query_seconds_bucket{le="0.5"}'] == 2
    assert s["nl2sql_query_seconds_sum"] == 107.32
    assert s["nl2sql_query_seconds_count"] == 4


def test_label_values_are_escaped() -> None:
    m = Metrics()
    m.inc("nl2sql_errors_total", {"kind": 'a"b\\c\nd', "status": "500"})
    assert 'kind="a\\"b\\\\c\\nd"' in m.render()


def test_arbitrary_methods_and_paths_create_no_series(client: FlaskClient) -> None:
    for i in range(5):
        client.open(f"/no/such/path/{i}", method=f"BREW{i}")
        client.get(f"/random-{i}")
    s = parse(client.get("/metrics").get_data(as_text=True))
    requests = [k for k in s if k.startswith("nl2sql_http_requests_total{")]
    assert not any("random" in k or "/no/such" in k or "BREW" in k for k in requests)
    assert any('method="other"' in k and 'endpoint="unmatched"' in k for k in requests)
