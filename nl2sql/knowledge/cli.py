"""``nl2sql eval``, ``nl2sql verified ...``, ``nl2sql feedback list`` and
``nl2sql semantic ...``: the knowledge commands (docs/knowledge.md).

They read the state store from ``NL2SQL_STATE_DB``. A caller may pass a ready
``Runtime`` as click's context object (tests, embedding).
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

import click
import yaml

from nl2sql.config import Settings
from nl2sql.errors import BadRequest, ConfigError
from nl2sql.knowledge.evaluate import load_questions, outcome_line, run_eval
from nl2sql.knowledge.feedback import VOTES
from nl2sql.runtime import Runtime


def _runtime(db: str | None = None, warehouse: str | None = None,
             model: str | None = None) -> Runtime:
    if db and warehouse:
        raise click.UsageError("give --db or --warehouse, not both")
    if db:
        warehouse = f"duckdb:///{os.path.abspath(db)}"
    given = click.get_current_context().find_object(Runtime)
    if given is not None and not (warehouse or model):
        return given
    return Runtime(Settings.from_env(warehouse=warehouse, model=model))


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def _emit(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, default=str))


# -- eval -------------------------------------------------------------------------------


@click.command("eval")
@click.argument("questions", type=click.Path(dir_okay=False))
@click.option("--db", type=click.Path(), help="Use this DuckDB file; not with --warehouse.")
@click.option("--warehouse", help="Warehouse URL (default: NL2SQL_WAREHOUSE); not with --db.")
@click.option("--model", help="'offline' or a Gemini model name (default: NL2SQL_MODEL).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object with every result.")
def eval_cmd(questions: str, db: str | None, warehouse: str | None, model: str | None,
             as_json: bool) -> None:
    """Score the model on a golden set of questions."""
    qs = load_questions(questions)
    runtime = _runtime(db, warehouse, model)
    labels = {"interface": "eval", "user": _user()}
    try:
        wh = runtime.warehouse

        def ask(question: str) -> Any:
            return runtime.agent(labels=labels).ask(question)[0]

        policy = runtime.agent(labels=labels).tools.policy
        report = run_eval(qs, ask, wh, policy, runtime.settings.query_timeout_s,
                          on_outcome=None if as_json else lambda o: click.echo(outcome_line(o)))
    finally:
        runtime.close()
    if as_json:
        _emit(report.to_dict())
    else:
        click.echo(report.usage_line())
        click.echo(report.summary())


# -- verified ---------------------------------------------------------------------------


@click.group()
def verified() -> None:
    """Verified question -> SQL pairs offered to the models."""


@verified.command("add")
@click.argument("question")
@click.argument("sql")
def verified_add(question: str, sql: str) -> None:
    """Store a pair (SQL text, or @FILE to read it) after the safety gate passes it."""
    if sql.startswith("@"):
        try:
            sql = Path(sql[1:]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise BadRequest(f"cannot read {sql[1:]}: {e}") from None
    knowledge = _runtime().knowledge
    assert knowledge.verified is not None
    q = knowledge.verified.add(question, sql, knowledge.policy, source="cli", user=_user())
    click.echo(f"added {q.id} ({q.dataset})")


@verified.command("list")
@click.option("--dataset", help="Only pairs over this dataset.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def verified_list(dataset: str | None, as_json: bool) -> None:
    """Every pair: the definitions files', analysts', and pinned reports'."""
    pairs = _runtime().knowledge.candidates(dataset)
    if as_json:
        _emit({"verified_queries": [q.to_dict() for q in pairs]})
        return
    for q in pairs:
        click.echo(f"{q.id}\t{q.source}\t{q.dataset}\t{q.question}\t{' '.join(q.sql.split())}")


@verified.command("remove")
@click.argument("query_id")
def verified_remove(query_id: str) -> None:
    """Remove a stored pair by id (pairs from files and reports are edited there)."""
    if query_id.startswith(("file:", "report:")):
        raise BadRequest(f"{query_id} comes from a file; edit that file to remove it")
    knowledge = _runtime().knowledge
    assert knowledge.verified is not None
    knowledge.verified.remove(query_id)
    click.echo(f"removed {query_id}")


@verified.command("export")
@click.option("--dataset", help="Only pairs over this dataset.")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write to this file (.json or .yaml) instead of standard output.")
def verified_export(dataset: str | None, output: str | None) -> None:
    """Write the pairs as an eval set (id, question, gold) for `nl2sql eval`."""
    pairs = _runtime().knowledge.candidates(dataset)
    items = [{"id": f"v{i:03d}", "question": q.question, "gold": " ".join(q.sql.split())}
             for i, q in enumerate(pairs, 1)]
    if output and output.endswith((".yaml", ".yml")):
        text = yaml.safe_dump(items, sort_keys=False, allow_unicode=True)
    else:
        text = json.dumps(items, indent=1, ensure_ascii=False) + "\n"
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {len(items)} questions to {output}", err=True)
    else:
        click.echo(text, nl=False)


# -- feedback ---------------------------------------------------------------------------


@click.group()
def feedback() -> None:
    """Thumbs up/down that users gave answers."""


@feedback.command("list")
@click.option("--vote", type=click.Choice(VOTES), help="Only up or only down votes.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1),
              help="Most entries to show, newest first.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def feedback_list(vote: str | None, limit: int, as_json: bool) -> None:
    """Newest feedback first, with the vote counts."""
    store = _runtime().knowledge.feedback
    assert store is not None
    items = store.list(vote=vote, limit=limit)
    if as_json:
        _emit({"feedback": [f.to_dict() for f in items], "counts": store.counts()})
        return
    for f in items:
        comment = f"\t{f.comment}" if f.comment else ""
        click.echo(f"{f.vote}\t{f.answer_id}\t{f.user}\t{f.interface}\t{f.question or ''}"
                   f"{comment}")
    counts = store.counts()
    click.echo(f"up {counts['up']}; down {counts['down']}", err=True)


# -- semantic ---------------------------------------------------------------------------


@click.group()
def semantic() -> None:
    """Semantic definitions: metrics, entities, dimensions."""


@semantic.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def semantic_check(files: tuple[str, ...]) -> None:
    """Validate definitions files (default: every dataset's, NL2SQL_DATASETS_DIR's first)."""
    from nl2sql.knowledge.library import defined_datasets
    from nl2sql.knowledge.semantic import load_file, semantic_path

    own = Settings.from_env().datasets_dir
    paths = [Path(f) for f in files] or [p for d in defined_datasets(own)
                                         if (p := semantic_path(d, own)) is not None]
    bad = 0
    for path in paths:
        try:
            layer = load_file(path)
            click.echo(f"{path}: ok ({len(layer.metrics)} metrics, "
                       f"{len(layer.verified)} verified queries)")
        except ConfigError as e:
            bad += 1
            click.echo(f"{path}: invalid: {e.message}")
    sys.exit(1 if bad else 0)


@semantic.command("import-dbt")
@click.argument("manifest", type=click.Path(dir_okay=False))
@click.option("--dataset", required=True, help="Dataset the dbt models live in.")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write the definitions here (default: standard output).")
def semantic_import_dbt(manifest: str, dataset: str, output: str | None) -> None:
    """Convert a dbt semantic_manifest.json into a definitions file."""
    from nl2sql.knowledge.dbt import import_manifest

    text = import_manifest(Path(manifest), dataset)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


COMMANDS = (eval_cmd, verified, feedback, semantic)
