"""Report definitions: load the YAML file, check it, expand ``${VAR}`` references.

Loading never touches the warehouse or the model. ``load_reports`` checks the
shape (JSON Schema in ``schemas/reports.schema.json``), unique names, cron
syntax and time zones; ``validate_reports`` adds what needs the environment
(every ``${VAR}`` is set) and the safety gate (pinned SQL). Every problem is a
``Problem`` naming the report and the field, so a broken file is fixed in one
pass instead of one error at a time.

Destinations keep their raw, unexpanded options: the run store records those,
so no secret is ever written to disk, and a retry tomorrow expands them again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

import jsonschema
import yaml

from nl2sql.config import Settings
from nl2sql.errors import ConfigError, NotFound, UnsafeSQL
from nl2sql.reports.schedule import check_schedule, check_timezone
from nl2sql.safety import Policy, check_sql
from nl2sql.schemas import schema_path

KINDS = ("slack_webhook", "email", "file")
_VAR = re.compile(r"\$(\$)?\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong, located by report name and field path.

    ``environment`` problems are not the file's fault: it is fine, but this
    machine lacks something a delivery needs (a ``${VAR}``, SMTP settings).
    """

    report: str | None
    field: str
    message: str
    environment: bool = False

    def __str__(self) -> str:
        where = f"{self.report}: " if self.report else ""
        return f"{where}{self.field}: {self.message}" if self.field else f"{where}{self.message}"


class InvalidReports(ConfigError):
    """The definitions file is unusable; ``problems`` lists every reason."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{path}: {len(problems)} problem(s):\n{lines}")
        self.path = path
        self.problems = problems


@dataclass(frozen=True)
class Destination:
    """Where a result goes. ``options`` are raw: ``${VAR}`` not yet expanded."""

    kind: Literal["slack_webhook", "email", "file"]  # the schema allows only these
    options: Any  # str for slack_webhook, dict for email/file
    base_dir: str = ""  # the definitions file's directory: relative file dirs start there

    @property
    def label(self) -> str:
        """A short, secret-free name for history and logs."""
        if self.kind == "email":
            return "email:" + ",".join(self.options["to"])
        if self.kind == "file":
            return f"file:{self.options['dir']}"
        return f"slack_webhook:{self.options}"  # the ${VAR} name, never its value

    def to_json(self) -> str:
        return json.dumps({"kind": self.kind, "options": self.options,
                           "base_dir": self.base_dir}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Destination:
        d = json.loads(text)
        return cls(d["kind"], d["options"], d.get("base_dir", ""))

    def resolved(self, env: Mapping[str, str]) -> Any:
        """The options with every ``${VAR}`` replaced from ``env``."""
        return expand(self.options, env)


@dataclass(frozen=True)
class Report:
    name: str
    question: str
    schedule: str
    timezone: str
    deliver: tuple[Destination, ...]
    sql: str | None = None
    source: Path = field(default=Path("reports.yaml"))  # the file it came from (for pin)


def missing_vars(value: Any, env: Mapping[str, str]) -> list[str]:
    """Names of ``${VAR}`` references in ``value`` that ``env`` does not set."""
    if isinstance(value, str):
        return [m[2] for m in _VAR.finditer(value) if not m[1] and not env.get(m[2])]
    if isinstance(value, dict):
        return [n for v in value.values() for n in missing_vars(v, env)]
    if isinstance(value, list):
        return [n for v in value for n in missing_vars(v, env)]
    return []


def expand(value: Any, env: Mapping[str, str]) -> Any:
    """Replace ``${VAR}`` from ``env`` in every string; ``$${VAR}`` stays literal."""
    if isinstance(value, str):
        def sub(m: re.Match[str]) -> str:
            if m[1]:
                return "${" + m[2] + "}"
            if not env.get(m[2]):
                raise ConfigError(f"environment variable {m[2]} is not set")
            return env[m[2]]
        return _VAR.sub(sub, value)
    if isinstance(value, dict):
        return {k: expand(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [expand(v, env) for v in value]
    return value


@cache
def _schema() -> dict[str, Any]:
    return dict(json.loads(schema_path("reports.schema.json").read_text()))


_TYPES = {"object": "a mapping", "array": "a list", "string": "a string"}


def _field_path(parts: list[Any]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _schema_problem(error: jsonschema.ValidationError, data: Any) -> Problem:
    path = list(error.absolute_path)
    report: str | None = None
    if len(path) >= 2 and path[0] == "reports" and isinstance(path[1], int):
        entry = data["reports"][path[1]]
        name = entry.get("name") if isinstance(entry, dict) else None
        report = name if isinstance(name, str) else f"reports[{path[1]}]"
        path = path[2:]
    leaf = path[-1] if path else None
    message = error.message
    # Never echo a webhook value: the whole point of the rule is that it is a secret.
    # A URL written as a mapping, a list or a bare destination is one too.
    if "slack_webhook" in path and error.validator in ("pattern", "type"):
        message = "must be a ${VAR} reference; keep webhook URLs in the environment"
    elif "deliver" in path and error.validator == "type":
        message = f"must be {_TYPES.get(str(error.validator_value), error.validator_value)}"
    elif error.validator == "pattern" and "to" in path:
        message = f"{error.instance!r} is not an email address or a ${{VAR}} reference"
    elif error.validator == "pattern" and leaf == "name":
        message = f"{error.instance!r} must be lower-case letters, digits and dashes"
    elif error.validator in ("minProperties", "maxProperties") and "deliver" in path:
        message = f"a destination has exactly one of {', '.join(KINDS)}"
    elif error.validator == "additionalProperties":
        known = ", ".join(error.schema.get("properties", {}))
        message = f"{message}; known fields: {known}"
    return Problem(report, _field_path(path), message)


def _parse(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"cannot read report definitions {str(path)!r}: {e.strerror}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(e, "problem", None) or str(e)
        raise InvalidReports(path, [Problem(None, "", f"not valid YAML{where}: {reason}")]) \
            from None


def _problems(data: Any) -> list[Problem]:
    validator = jsonschema.Draft202012Validator(_schema())
    problems = [_schema_problem(e, data)
                for e in sorted(validator.iter_errors(data), key=lambda e: list(e.path))]
    if problems:
        return problems
    seen: set[str] = set()
    for entry in data["reports"]:
        name = entry["name"]
        if name in seen:
            problems.append(Problem(name, "name", "duplicate report name"))
        seen.add(name)
        schedule_error = check_schedule(entry["schedule"])
        if schedule_error:
            problems.append(Problem(name, "schedule", schedule_error))
        tz_error = check_timezone(entry.get("timezone", "UTC"))
        if tz_error:
            problems.append(Problem(name, "timezone", tz_error))
    return problems


def load_reports(path: str | Path) -> list[Report]:
    """Load and check ``path``; raises ``InvalidReports`` listing every problem."""
    path = Path(path)
    data = _parse(path)
    if data is None:
        data = {}
    problems = _problems(data)
    if problems:
        raise InvalidReports(path, problems)
    base = path.resolve().parent
    return [
        Report(
            name=r["name"],
            question=r["question"].strip(),
            schedule=r["schedule"].strip(),
            timezone=r.get("timezone", "UTC"),
            deliver=tuple(Destination(kind, options, base_dir=str(base))
                          for d in r["deliver"] for kind, options in d.items()),
            sql=r["sql"].strip() if r.get("sql") else None,
            source=path,
        )
        for r in data["reports"]
    ]


def find_report(reports: list[Report], name: str) -> Report:
    for r in reports:
        if r.name == name:
            return r
    known = ", ".join(r.name for r in reports) or "none"
    raise NotFound(f"no report named {name!r}; defined: {known}")


def policy_for(settings: Settings, project: str | None = None) -> Policy:
    """The gate's policy, without opening the warehouse (BigQuery's project is in its URL)."""
    if project is None:
        url = urlparse(settings.warehouse)
        project = (url.netloc or None) if url.scheme == "bigquery" else None
    return Policy.from_settings(settings, project)


def validate_reports(path: str | Path, settings: Settings,
                     env: Mapping[str, str]) -> tuple[list[Report], list[Problem]]:
    """Everything ``nl2sql report validate`` checks; returns reports and problems."""
    try:
        reports = load_reports(path)
    except InvalidReports as e:
        return [], e.problems
    problems: list[Problem] = []
    policy = policy_for(settings)
    for r in reports:
        for i, d in enumerate(r.deliver):
            for var in missing_vars(d.options, env):
                problems.append(Problem(r.name, f"deliver[{i}].{d.kind}",
                                        f"environment variable {var} is not set",
                                        environment=True))
            if d.kind == "email" and not settings.smtp_url:
                problems.append(Problem(r.name, f"deliver[{i}].email",
                                        "NL2SQL_SMTP_URL is not set", environment=True))
        if r.sql:
            try:
                check_sql(r.sql, policy)
            except UnsafeSQL as e:
                problems.append(Problem(r.name, "sql", f"rejected by the safety gate: {e.message}"))
    return reports, problems
