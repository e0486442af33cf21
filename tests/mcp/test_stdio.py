"""`nl2sql mcp --db FILE` over stdio, driven by the mcp SDK's own client, as an agent
client (Gemini CLI, Claude Code) would start and use it."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import anyio
import duckdb
from mcp import Client, StdioServerParameters

from nl2sql.config import Settings
from nl2sql.errors import Nl2SqlError
from nl2sql.tools import Toolbox, declarations
from nl2sql.warehouse.duckdb import DuckDBWarehouse
from tests.mcp.conftest import ALLOWED, FORBIDDEN, NL2SQL, digest, server_env

T = TypeVar("T")


def session(db: Path, env: dict[str, str], body: Callable[[Client], Awaitable[T]],
            cwd: Path | None = None) -> T:
    params = StdioServerParameters(command=NL2SQL, args=["mcp", "--db", str(db)], env=env,
                                   cwd=str(cwd or Path(env["NL2SQL_STATE_DB"]).parent))

    async def main() -> T:
        async with Client(params) as client:
            return await body(client)

    return anyio.run(main)


def text(result: Any) -> str:
    return "".join(block.text for block in result.content)


def agent_error(db: Path, name: str, args: dict[str, Any]) -> str:
    """The sentence the agent's model reads for the same call (the Toolbox's error)."""
    warehouse = DuckDBWarehouse(db)
    try:
        Toolbox(warehouse, Settings(allowed_datasets=(ALLOWED,))).call(name, args)
    except Nl2SqlError as e:
        return e.message
    finally:
        warehouse.close()
    raise AssertionError(f"{name}({args}) did not fail")


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_tools_are_the_agents_functions_plus_ask(mcp_db: Path, tmp_path: Path) -> None:
    async def body(client: Client) -> Any:
        return (await client.list_tools()).tools

    tools = session(mcp_db, server_env(tmp_path), body)
    by_name = {t.name: t for t in tools}
    assert [t.name for t in tools] == [d["name"] for d in declarations()] + ["get_metrics",
                                                                             "ask"]
    for decl in declarations():  # the very schemas the agent's model gets
        assert by_name[decl["name"]].input_schema == decl["parameters"]
    assert by_name["ask"].input_schema["required"] == ["question"]
    for tool in tools:
        assert tool.description and len(tool.description) > 80, tool.name
        assert tool.annotations and tool.annotations.read_only_hint
    assert "1,000" in by_name["sql_query"].description  # the row cap a client works within


def test_metadata_and_a_safe_query(mcp_db: Path, tmp_path: Path) -> None:
    async def body(client: Client) -> dict[str, Any]:
        calls = {
            "datasets": ("list_datasets", {}),
            "tables": ("list_tables", {"dataset_id": ALLOWED}),
            "metrics": ("get_metrics", {"dataset_id": ALLOWED}),
            "table": ("get_table", {"table_id": f"{ALLOWED}.orders"}),
            "query": ("sql_query", {"query": f"SELECT status, COUNT(*) AS n FROM "
                                             f"{ALLOWED}.orders GROUP BY status ORDER BY n DESC"}),
        }
        out = {}
        for key, (name, args) in calls.items():
            result = await client.call_tool(name, args)
            assert not result.is_error, text(result)
            # Structured content for clients that read it, the same JSON as text for the rest.
            assert json.loads(text(result)) == result.structured_content
            out[key] = result.structured_content
        return out

    got = session(mcp_db, server_env(tmp_path), body)
    assert [d["dataset_id"] for d in got["datasets"]["datasets"]] == [ALLOWED]
    assert f"{ALLOWED}.orders" in {t["table_id"] for t in got["tables"]["tables"]}
    assert got["tables"]["notes"]  # the dataset's business definitions come along
    # The semantic definitions, exactly as the agent's model gets them with list_tables.
    assert got["metrics"]["metrics"] and got["metrics"]["metrics"] == got["tables"]["metrics"]
    assert got["metrics"]["joins"] == got["tables"].get("joins", [])
    assert {c["name"] for c in got["table"]["columns"]} >= {"order_id", "status", "created_at"}
    expected = query(mcp_db, f"SELECT status, COUNT(*) AS n FROM {ALLOWED}.orders "
                             "GROUP BY status ORDER BY n DESC")
    assert got["query"]["columns"] == ["status", "n"]
    assert [tuple(r) for r in got["query"]["rows"]] == expected
    assert got["query"]["truncated"] is False


REFUSALS = [
    ("sql_query", {"query": f"DROP TABLE {ALLOWED}.orders"}, "read-only"),
    ("sql_query", {"query": f"DELETE FROM {ALLOWED}.orders WHERE TRUE"}, "read-only"),
    ("sql_query", {"query": f"SELECT 1; DROP TABLE {ALLOWED}.users"}, "one statement"),
    ("sql_query", {"query": f"SELECT * FROM {FORBIDDEN}.salaries"}, "outside the allowed"),
    ("sql_query", {"query": f"SELECT o.* FROM {ALLOWED}.orders o JOIN {FORBIDDEN}.salaries s "
                            "ON TRUE"}, "outside the allowed"),
    ("list_tables", {"dataset_id": FORBIDDEN}, "not available"),
    ("get_table", {"table_id": f"{FORBIDDEN}.salaries"}, "not in an allowed dataset"),
    ("get_table", {}, "bad arguments"),
    ("list_tables", {"dataset_id": ALLOWED, "limit": 5}, "unexpected 'limit'"),
]


def test_refusals_are_tool_errors_with_the_agents_sentence(mcp_db: Path, tmp_path: Path) -> None:
    before = digest(mcp_db)

    async def body(client: Client) -> tuple[list[Any], Any]:
        refused = [await client.call_tool(name, args) for name, args, _ in REFUSALS]
        # A tool the server does not have (the session call skips the client's own check).
        unknown = await client.session.call_tool("drop_everything", {})
        return refused, unknown, await client.call_tool("get_metrics", {"dataset_id": FORBIDDEN})

    results, unknown, metrics = session(mcp_db, server_env(tmp_path), body)
    for (name, args, reason), result in zip(REFUSALS, results, strict=True):
        assert result.is_error, (name, args)
        assert text(result) == agent_error(mcp_db, name, args)
        assert reason in text(result), text(result)
        assert "Traceback" not in text(result)
    assert unknown.is_error and "unknown tool 'drop_everything'" in text(unknown)
    assert "sql_query" in text(unknown) and "ask" in text(unknown)
    assert metrics.is_error
    assert text(metrics) == agent_error(mcp_db, "list_tables", {"dataset_id": FORBIDDEN})
    assert digest(mcp_db) == before  # the warehouse file is untouched
    assert query(mcp_db, f"SELECT COUNT(*) FROM {ALLOWED}.orders")[0][0] > 0


def test_ask_answers_with_the_configured_model(mcp_db: Path, tmp_path: Path) -> None:
    progress: list[tuple[float, str | None]] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append((done, message))

    async def body(client: Client) -> tuple[Any, Any, Any]:
        first = await client.call_tool("ask", {"question": "How many users are there?"},
                                       progress_callback=on_progress)
        follow = await client.call_tool("ask", {
            "question": "How many users are there by gender?",
            "conversation_id": first.structured_content["conversation_id"]})
        empty = await client.call_tool("ask", {"question": "  "})
        return first, follow, empty

    first, follow, empty = session(mcp_db, server_env(tmp_path), body)
    assert not first.is_error, text(first)
    answer = first.structured_content
    (count,) = query(mcp_db, f"SELECT COUNT(*) FROM {ALLOWED}.users")[0]
    assert answer["answered"] is True and answer["rows"] == [[count]]
    assert answer["interpretation"]  # how the question was read, as every interface shows
    assert f"{count:,}" in answer["answer"]
    assert answer["sql"] and answer["columns"] and answer["truncated"] is False
    assert answer["steps"] and all(s["ok"] for s in answer["steps"])
    # The client heard each step while the model worked, in order.
    messages = [m for _, m in progress]
    assert [d for d, _ in progress] == sorted(d for d, _ in progress)
    assert [s["name"] for s in answer["steps"]] == [
        m.split("(")[0] for m in messages if m and not m.startswith("model turn")]
    # The conversation continues: the follow-up lands in the same conversation.
    assert not follow.is_error, text(follow)
    assert follow.structured_content["conversation_id"] == answer["conversation_id"]
    assert empty.is_error and text(empty) == "'question' must be a non-empty string"


def test_dataset_files_are_resources(mcp_db: Path, tmp_path: Path) -> None:
    async def body(client: Client) -> tuple[Any, list[Any]]:
        listed = (await client.list_resources()).resources
        return listed, [await client.read_resource(r.uri) for r in listed]

    listed, read = session(mcp_db, server_env(tmp_path), body)
    assert [r.name for r in listed] == [f"{ALLOWED}/context.md", f"{ALLOWED}/definitions.yaml"]
    assert [r.mime_type for r in listed] == ["text/markdown", "application/yaml"]
    datasets = Path(__file__).resolve().parents[2] / "schemas" / "datasets"
    for got, name in zip(read, (f"{ALLOWED}.md", f"{ALLOWED}.yaml"), strict=True):
        assert got.contents[0].text == (datasets / name).read_text(encoding="utf-8")


def test_context_of_a_dataset_outside_the_allowlist_is_not_served(
        mcp_db: Path, tmp_path: Path) -> None:
    from mcp import MCPError

    async def body(client: Client) -> tuple[Any, str]:
        listed = (await client.list_resources()).resources
        try:
            await client.read_resource(f"nl2sql://datasets/{ALLOWED}/definitions.yaml")
        except MCPError as e:
            return listed, e.message
        return listed, ""

    listed, error = session(mcp_db, server_env(tmp_path, NL2SQL_ALLOWED_DATASETS=FORBIDDEN),
                            body)
    assert listed == []
    assert "no resource" in error


def test_stdio_writes_nothing_where_the_client_starts_it(mcp_db: Path, tmp_path: Path) -> None:
    # A client may start the server in any directory: without NL2SQL_STATE_DB the
    # session's state stays in memory, so nothing lands there (or fails, read-only).
    env = server_env(tmp_path)
    del env["NL2SQL_STATE_DB"]
    cwd = tmp_path / "client-dir"
    cwd.mkdir()

    async def body(client: Client) -> list[Any]:
        return [await client.call_tool("ask", {"question": "How many users are there?"}),
                await client.call_tool("sql_query", {"query": "SELECT 1 AS one"})]

    results = session(mcp_db, env, body, cwd=cwd)
    assert [r.is_error for r in results] == [False, False], [text(r) for r in results]
    assert results[0].structured_content["answered"] is True
    assert list(cwd.iterdir()) == []


def test_a_bad_warehouse_is_one_line_before_serving(tmp_path: Path) -> None:
    done = subprocess.run([NL2SQL, "mcp", "--db", str(tmp_path / "missing.duckdb")],
                          env=server_env(tmp_path), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert done.stdout == ""  # stdout belongs to the protocol
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "missing.duckdb" in lines[0]
