"""The ``nl2sql`` command line. Errors are one clear line and a non-zero exit."""

from __future__ import annotations

import datetime
import getpass
import json
import logging
import os
import socket
import sys
from pathlib import Path
from typing import Any

import click

from nl2sql.answer import JSON_KEYS
from nl2sql.config import DEFAULT_DEMO_PATH, Settings
from nl2sql.errors import ConfigError, Nl2SqlError, UnsafeSQL


class _UsageError(click.ClickException):
    """A usage error shown as one line, like every other error of the CLI."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


def _one_line(e: click.UsageError) -> _UsageError:
    command = e.ctx.command_path if e.ctx else "nl2sql"
    return _UsageError(f"{e.format_message()} (see '{command} --help')")


class _Group(click.Group):
    """Turns our errors into one line on stderr instead of a traceback."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.exceptions.NoArgsIsHelpError:
            raise  # bare `nl2sql` shows the help
        except click.UsageError as e:
            raise _one_line(e) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as e:  # a subcommand's bad option or argument
            raise _one_line(e) from None
        except Nl2SqlError as e:
            click.echo(f"error: {e.message}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)


@click.group(cls=_Group)
@click.version_option(package_name="nl2sql")
def main() -> None:
    """Answer plain-language questions over a data warehouse, safely."""
    # sqlglot logs a warning whenever it falls back to an opaque command; the
    # gate already refuses those with a sentence of its own.
    logging.getLogger("sqlglot").setLevel(logging.ERROR)


def _os_user() -> str:
    """Who runs the CLI, for job labels (hashed by the warehouse before use)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no passwd entry, as in some containers
        return "unknown"


def _settings(**overrides: Any) -> Settings:
    return Settings.from_env(**overrides)


@main.command("demo-data")
@click.option("--path", default=DEFAULT_DEMO_PATH, show_default=True, type=click.Path(),
              help="DuckDB file to write.")
@click.option("--scale", default=1.0, show_default=True, type=float,
              help="Size relative to the public dataset (0.01 to 10).")
@click.option("--seed", default=42, show_default=True, type=int, help="Same seed, same data.")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Last day of the data, YYYY-MM-DD (default: today, UTC); pins the rows.")
@click.option("--if-missing", is_flag=True, help="Do nothing when the file already exists.")
def demo_data(path: str, scale: float, seed: int, as_of: datetime.datetime | None,
              if_missing: bool) -> None:
    """Build the demo thelook_ecommerce warehouse (a DuckDB file)."""
    from nl2sql.warehouse.demo import TABLES, build_demo, check_options, today

    if if_missing and Path(path).exists():
        click.echo(f"{path} exists; keeping it")
        return
    last_day = as_of.date() if as_of else today()
    try:
        check_options(scale, seed, last_day)  # before the progress bar draws anything
    except ValueError as e:
        raise click.BadParameter(str(e)) from None
    with click.progressbar(length=len(TABLES), label=f"Building {path}",
                           item_show_func=lambda t: t, file=sys.stderr) as bar:
        def progress(label: str, done: int, total: int) -> None:
            bar.update(done - bar.pos, label)

        try:
            out = build_demo(path, scale=scale, seed=seed, as_of=last_day, progress=progress)
        except ValueError as e:
            raise click.BadParameter(str(e)) from None
    click.echo(f"wrote {out} (scale {scale:g}, seed {seed}, data through {last_day})")


@main.command()
@click.argument("question")
@click.option("--db", type=click.Path(),
              help="Use this DuckDB file (each schema is a dataset); not with --warehouse.")
@click.option("--warehouse",
              help="Warehouse URL, e.g. bigquery://PROJECT?location=US (default: "
                   "NL2SQL_WAREHOUSE); not with --db.")
@click.option("--model", help="'offline' or a Gemini model name (default: NL2SQL_MODEL).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def ask(question: str, db: str | None, warehouse: str | None, model: str | None,
        as_json: bool) -> None:
    """Answer QUESTION with the configured model and warehouse."""
    from nl2sql.presentation.reading import reading_parts
    from nl2sql.runtime import Runtime

    if db and warehouse:
        raise click.UsageError("give --db or --warehouse, not both")
    if db:
        warehouse = f"duckdb:///{os.path.abspath(db)}"
    runtime = Runtime(_settings(warehouse=warehouse, model=model))
    try:
        answer, _ = runtime.agent(labels={"interface": "cli", "user": _os_user()}).ask(question)
    finally:
        runtime.close()
    if as_json:
        out = answer.to_dict()
        click.echo(json.dumps({k: out[k] for k in JSON_KEYS}, ensure_ascii=False, default=str))
    else:
        if answer.answered and answer.interpretation is not None:
            # Before the answer: a misreading is caught before the number is trusted.
            click.echo(f"Read as: {answer.interpretation.summary}")
            for label, text in reading_parts(answer.interpretation):
                click.echo(f"  {label}: {text}")
            click.echo()
        click.echo(answer.answer)
        if answer.sql:
            click.echo(f"\nSQL:\n{answer.sql}", err=True)
    if not answer.answered:
        sys.exit(1)


@main.command("check-sql")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--allowed-datasets", default=None, help="Comma-separated allowed datasets.")
@click.option("--max-rows", type=click.IntRange(min=1), default=None, help="Row cap to apply.")
@click.option("--project", default=None, help="Project that project-qualified names must match.")
def check_sql_cmd(files: tuple[str, ...], allowed_datasets: str | None, max_rows: int | None,
                  project: str | None) -> None:
    """Lint SQL files through the safety gate.

    Prints `FILE: ok` or `FILE: rejected: REASON` per file; exits 1 if any is rejected.
    """
    from nl2sql.safety import Policy, check_sql

    settings = _settings()
    allowed = (tuple(d.strip() for d in allowed_datasets.split(",") if d.strip())
               if allowed_datasets is not None else settings.allowed_datasets)
    policy = Policy(frozenset(allowed), project=project,
                    max_rows=settings.max_rows if max_rows is None else max_rows)
    rejected = 0
    for name in files:
        try:
            text = Path(name).read_text(encoding="utf-8")
            check_sql(text, policy)
            click.echo(f"{name}: ok")
        except UnsafeSQL as e:
            rejected += 1
            click.echo(f"{name}: rejected: {e.message}")
        except UnicodeDecodeError as e:
            rejected += 1
            click.echo(f"{name}: rejected: cannot read file: not UTF-8 text "
                       f"(byte {e.start})")
        except OSError as e:
            rejected += 1
            click.echo(f"{name}: rejected: cannot read file: {e.strerror or e}")
    sys.exit(1 if rejected else 0)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1),
              help="gunicorn worker processes.")
# 24 is nl2sql.web.server.THREADS, not imported here: it would pull in gunicorn.
@click.option("--threads", default=24, show_default=True, type=click.IntRange(min=1),
              help="Threads per worker: questions each worker answers at once.")
@click.option("--dev", is_flag=True, help="Flask's development server instead of gunicorn.")
def serve(host: str, port: int, workers: int, threads: int, dev: bool) -> None:
    """Serve the web app (gunicorn)."""
    _check_bindable(host, port)
    if dev:
        from nl2sql.web import create_app

        create_app().run(host=host, port=port)
        return
    from nl2sql.web.server import gunicorn_command

    args = gunicorn_command(host, port, workers, threads)
    os.execvp(args[0], args)


@main.command("mcp")
@click.option("--db", type=click.Path(),
              help="Use this DuckDB file (each schema is a dataset); not with --warehouse.")
@click.option("--warehouse",
              help="Warehouse URL, e.g. bigquery://PROJECT?location=US (default: "
                   "NL2SQL_WAREHOUSE); not with --db.")
@click.option("--model", help="Model behind the ask tool: 'offline' or a Gemini model name "
                              "(default: NL2SQL_MODEL).")
@click.option("--http", "use_http", is_flag=True,
              help="Serve streamable HTTP at /mcp instead of stdio.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="With --http: address to listen on (0.0.0.0 for every interface).")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535),
              help="With --http: port to listen on.")
def mcp_cmd(db: str | None, warehouse: str | None, model: str | None, use_http: bool,
            host: str, port: int) -> None:
    """Serve the gated tools to MCP clients (stdio, or --http)."""
    from nl2sql.mcp import serve
    from nl2sql.web.logs import configure_logging

    configure_logging()  # audit lines as JSON on stderr (stdout is the protocol's, on stdio)

    if db and warehouse:
        raise click.UsageError("give --db or --warehouse, not both")
    if db:
        warehouse = f"duckdb:///{os.path.abspath(db)}"
    settings = _settings(warehouse=warehouse, model=model)
    if use_http:
        _check_bindable(host, port)
        if not settings.api_tokens and host not in ("127.0.0.1", "localhost", "::1"):
            click.echo(f"warning: serving MCP on {host} without NL2SQL_API_TOKENS: anyone who "
                       "can reach this port can query the warehouse", err=True)
        click.echo(f"serving MCP on http://{host}:{port}/mcp", err=True)
    serve(settings, http=(host, port) if use_http else None, user=_os_user(),
          keep_state=bool(os.environ.get("NL2SQL_STATE_DB")))


def _check_bindable(host: str, port: int) -> None:
    """One clear line now rather than gunicorn retrying and logging for seconds."""
    try:
        # create_server sets SO_REUSEADDR as gunicorn does, so it fails exactly
        # when gunicorn would: the address is taken or not ours.
        with socket.create_server((host, port)):
            pass
    except OSError as e:
        reason = str(e.strerror or e).split(" (while attempting")[0]
        raise ConfigError(f"cannot serve on {host}:{port}: {reason}") from None


from nl2sql.reports.cli import report  # noqa: E402 - registered after main is defined

main.add_command(report)

from nl2sql.state.cli import db as _db  # noqa: E402

main.add_command(_db)

from nl2sql.knowledge.cli import COMMANDS as _KNOWLEDGE  # noqa: E402

for _command in _KNOWLEDGE:
    main.add_command(_command)

if __name__ == "__main__":
    main()
