"""The Cloud Run manifests in deploy/cloudrun, checked against the code they deploy.

Nothing here talks to Google Cloud: the manifests are parsed, and every part that
names our code — settings, CLI commands and options, the port, the probes, the
state URL — is checked against the code itself, so a renamed setting or option
fails here rather than in a failed rollout.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import click
import pytest
import sqlalchemy as sa
import yaml

from nl2sql.cli import main
from nl2sql.config import SETTINGS, Settings
from nl2sql.web.server import THREADS

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy" / "cloudrun"
MANIFESTS = sorted(DEPLOY.glob("*.yaml"))
SCRIPT = (DEPLOY / "deploy.sh").read_text()
SECRET_SETTINGS = {f.metadata["env"] for f in Settings.__dataclass_fields__.values()
                   if "env" in f.metadata and not f.repr}
#: Variables outside NL2SQL_* a manifest may set: ones our code reads under their
#: conventional names, and ones a library reads (libpq's password; google-genai's
#: Vertex AI project and location).
READ_BY_CODE = {"SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "GEMINI_API_KEY", "GOOGLE_API_KEY",
                "GOOGLE_GENAI_USE_VERTEXAI"}
READ_BY_LIBRARIES = {"PGPASSWORD", "GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION"}
SECRETS = {"SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "GEMINI_API_KEY", "GOOGLE_API_KEY",
           "PGPASSWORD"}


def _load(path: Path) -> dict[str, Any]:
    (doc,) = list(yaml.safe_load_all(path.read_text()))
    assert isinstance(doc, dict)
    return doc


def _pod(doc: dict[str, Any]) -> dict[str, Any]:
    """The spec holding the containers: a Service's revision, or a Job's task."""
    spec: dict[str, Any] = doc["spec"]["template"]["spec"]
    return spec["template"]["spec"] if doc["kind"] == "Job" else spec


def _template_annotations(doc: dict[str, Any]) -> dict[str, str]:
    annotations: dict[str, str] = doc["spec"]["template"]["metadata"].get("annotations", {})
    return annotations


def _container(doc: dict[str, Any]) -> dict[str, Any]:
    (container,) = _pod(doc)["containers"]
    return container


def _env(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for e in _container(doc).get("env", [])}


def _by_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in map(_load, MANIFESTS) if d["kind"] == kind}


SERVICE = next(iter(_by_kind("Service").values()))
JOBS = _by_kind("Job")


def _invoke(argv: list[str]) -> tuple[list[str], dict[str, Any]]:
    """Resolve ``argv`` (after the program name) through the real click command tree:
    the command path and the parameters the leaf command parses from the rest."""
    command: click.Command = main
    path: list[str] = []
    parent: click.Context | None = None
    args = list(argv)
    while isinstance(command, click.Group):
        ctx = click.Context(command, info_name=command.name, parent=parent)
        sub = command.get_command(ctx, args[0]) if args else None
        assert sub is not None, f"no command {argv}"
        path.append(args.pop(0))
        command, parent = sub, ctx
    # Raises click's UsageError on an unknown option or a bad value, as the CLI would.
    return path, command.make_context(command.name, args, parent=parent).params


def _dockerfile(instruction: str) -> list[str]:
    text = re.sub(r"\\\n", " ", (REPO / "Dockerfile").read_text())
    return [line.split(None, 1)[1] for line in text.splitlines()
            if line.strip() and line.split(None, 1)[0] == instruction]


# -- every manifest --------------------------------------------------------------------

def test_every_manifest_parses_as_one_cloud_run_resource() -> None:
    assert {p.name for p in MANIFESTS} >= {"service.yaml", "job-report-due.yaml",
                                           "job-db-upgrade.yaml"}
    kinds = [(d["apiVersion"], d["kind"]) for d in map(_load, MANIFESTS)]
    assert kinds.count(("serving.knative.dev/v1", "Service")) == 1
    assert kinds.count(("run.googleapis.com/v1", "Job")) == 2


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_every_variable_is_a_setting_or_a_credential_the_code_reads(path: Path) -> None:
    env = _env(_load(path))
    declared = {s.env for s in SETTINGS}
    source = "\n".join(p.read_text() for p in (REPO / "nl2sql").rglob("*.py"))
    for name in env:
        if name.startswith("NL2SQL_"):
            assert name in declared, f"{path.name}: {name} is not a setting in nl2sql/config.py"
        else:
            assert name in READ_BY_LIBRARIES or (
                name in READ_BY_CODE and f'"{name}"' in source), \
                f"{path.name}: nothing reads {name}"


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_plain_values_are_valid_settings(path: Path, tmp_path: Path) -> None:
    values = {name: e["value"] for name, e in _env(_load(path)).items()
              if name.startswith("NL2SQL_") and "value" in e}
    if "NL2SQL_DATASETS_DIR" in values:  # a mount on Cloud Run; any directory here
        values["NL2SQL_DATASETS_DIR"] = str(tmp_path)
    Settings.from_env(values)  # raises ConfigError on a value the setting refuses


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_secrets_come_from_secret_manager_never_inline(path: Path) -> None:
    for name, e in _env(_load(path)).items():
        if name in SECRET_SETTINGS | SECRETS:
            assert "value" not in e, f"{path.name}: {name} is a secret written inline"
            ref = e["valueFrom"]["secretKeyRef"]
            assert ref["name"] and ref["key"] == "latest"


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: p.name)
def test_state_url_uses_the_cloud_sql_socket_the_manifest_mounts(path: Path) -> None:
    doc = _load(path)
    url = sa.make_url(_env(doc)["NL2SQL_STATE_URL"]["value"])
    assert url.get_backend_name() == "postgresql" and url.password is None
    instance = _template_annotations(doc)["run.googleapis.com/cloudsql-instances"]
    assert len(instance.split(":")) == 3  # PROJECT:REGION:INSTANCE
    assert url.query["host"] == f"/cloudsql/{instance}"
    assert _pod(doc)["serviceAccountName"].endswith(".iam.gserviceaccount.com")


# -- the service -------------------------------------------------------------------------

def test_the_service_runs_what_the_image_runs_on_the_port_it_exposes() -> None:
    container = _container(SERVICE)
    (port,) = [p["containerPort"] for p in container["ports"]]
    path, params = _invoke(container["args"]) if container["command"] == ["nl2sql"] else ([], {})
    assert path == ["serve"] and params["port"] == port and params["host"] == "0.0.0.0"

    cmd = json.loads(_dockerfile("CMD")[-1])
    assert cmd[0] == "nl2sql"
    image_path, image_params = _invoke(cmd[1:])
    assert image_path == path and image_params["port"] == port == int(_dockerfile("EXPOSE")[-1])
    # Cloud Run scales out before an instance queues requests inside gunicorn.
    assert SERVICE["spec"]["template"]["spec"]["containerConcurrency"] <= (
        params["workers"] * THREADS)


def test_the_probes_ask_the_app_on_its_port(settings: Settings, tmp_path: Path) -> None:
    from nl2sql.web import create_app

    app = create_app(settings.with_(state_db=str(tmp_path / "state.sqlite3")))
    routes = {r.rule for r in app.url_map.iter_rules() if "GET" in (r.methods or ())}
    container = _container(SERVICE)
    (port,) = [p["containerPort"] for p in container["ports"]]
    for probe in ("startupProbe", "livenessProbe"):
        get = container[probe]["httpGet"]
        assert get["port"] == port and get["path"] in routes, probe
    assert container["startupProbe"]["httpGet"]["path"] == "/readyz"


def test_slack_answers_keep_their_cpu_and_an_instance_stays_warm() -> None:
    # A slash command is acknowledged at once and answered on a background thread;
    # with CPU throttled after the response that thread would stall (docs/deploy.md).
    annotations = _template_annotations(SERVICE)
    assert annotations["run.googleapis.com/cpu-throttling"] == "false"
    low = int(annotations["autoscaling.knative.dev/minScale"])
    assert 1 <= low <= int(annotations["autoscaling.knative.dev/maxScale"])
    env = _env(SERVICE)
    assert {"SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN"} <= set(env)
    # IAP is on the load balancer: the service must not be reachable around it.
    ingress = SERVICE["metadata"]["annotations"]["run.googleapis.com/ingress"]
    assert ingress == "internal-and-cloud-load-balancing"
    assert env["NL2SQL_IAP_AUDIENCE"]["value"].startswith("/projects/")


# -- the jobs ----------------------------------------------------------------------------

@pytest.mark.parametrize(("job", "command"), [("nl2sql-report-due", ["report", "due"]),
                                              ("nl2sql-db-upgrade", ["db", "upgrade"])])
def test_each_job_runs_a_real_cli_command(job: str, command: list[str]) -> None:
    container = _container(JOBS[job])
    assert container["command"] == ["nl2sql"]
    path, _ = _invoke(container["args"])
    assert path == command


def _gcloud(*words: str) -> list[list[str]]:
    """The deploy script's gcloud commands starting with ``words``, as argv lists."""
    text = SCRIPT.replace("\\\n", " ")
    commands = [shlex.split(line, comments=True) for line in text.splitlines()]
    return [c for c in commands if c[1:1 + len(words)] == list(words)]


def _flag(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_the_script_migrates_before_the_service_rolls_out() -> None:
    lines = SCRIPT.replace("\\\n", " ").splitlines()
    execute = next(i for i, line in enumerate(lines)
                   if "run jobs execute nl2sql-db-upgrade" in line)
    service = next(i for i, line in enumerate(lines) if "run services replace" in line)
    assert execute < service and "--wait" in lines[execute]
    for name in re.findall(r"render ([\w.-]+\.yaml)", SCRIPT):
        assert (DEPLOY / name).is_file(), name
    assert {p.name for p in MANIFESTS} <= set(re.findall(r"render ([\w.-]+\.yaml)", SCRIPT))


def test_cloud_scheduler_executes_the_report_job_every_minute() -> None:
    (scheduler,) = _gcloud("scheduler", "jobs", "$action", "http")
    uri = _flag(scheduler, "--uri")
    assert uri.startswith("https://run.googleapis.com/v2/projects/")
    assert uri.endswith("/jobs/nl2sql-report-due:run") and "nl2sql-report-due" in JOBS
    assert _flag(scheduler, "--http-method") == "POST"
    assert _flag(scheduler, "--oauth-service-account-email")
    assert _flag(scheduler, "--schedule") == "* * * * *"  # docs/reports.md: every minute


def test_the_script_fills_every_placeholder() -> None:
    pairs = re.findall(r'-e "s\|([A-Z_]+)\|\$(\w+)\|g"', SCRIPT)
    assert pairs
    for path in MANIFESTS:
        text = path.read_text()
        for placeholder, _ in pairs:
            text = text.replace(placeholder, "x")
        doc = yaml.safe_load(text)
        names = {e["name"] for e in _container(doc).get("env", [])}

        def walk(node: Any) -> list[str]:
            if isinstance(node, dict):
                return [s for k, v in node.items() for s in walk(v)]
            if isinstance(node, list):
                return [s for v in node for s in walk(v)]
            return [str(node)]
        left = {m for value in walk(doc) if value not in names
                for m in re.findall(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b", value)}
        assert not left, f"{path.name}: unfilled placeholders {left}"


# -- the state URL's shape against a real PostgreSQL server ------------------------------

@pytest.mark.postgres
def test_the_socket_state_url_migrates_a_real_server(postgres_server: Any,
                                                     postgres_url: str) -> None:
    from click.testing import CliRunner

    # The manifests' URL (user, no password, empty host, ?host=<socket dir>), pointed
    # at the test server's socket directory instead of /cloudsql/...
    url = sa.make_url(_env(SERVICE)["NL2SQL_STATE_URL"]["value"])
    server = sa.make_url(postgres_url)
    local = url.set(username=server.username, database=server.database,
                    query={"host": str(postgres_server.datadir.parent),
                           "port": str(server.port)})
    assert local.host is None
    out = CliRunner().invoke(main, ["db", "upgrade"],
                             env={"NL2SQL_STATE_URL": local.render_as_string(False)})
    assert out.exit_code == 0, out.output
    assert "schema version" in out.output
