#!/usr/bin/env bash
# Build the BigQuery emulator's own virtualenv for the tests (idempotent).
#
# bqemulator needs DuckDB 1.5.5 and its spatial extension, which must not mix
# with the project's own DuckDB, so it lives in a separate venv, cached at
# .cache/bqemulator-venv (override with BQEMULATOR_VENV). The spatial
# extension comes from the duckdb-extension-spatial wheel, never the network;
# the test fixture installs it again into a temporary HOME for each session.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${BQEMULATOR_VENV:-$ROOT/.cache/bqemulator-venv}"
PYTHON="${PYTHON:-python3}"
PINS="bqemulator==1.4.0 duckdb==1.5.5 duckdb-extension-spatial==1.5.5 numpy"
STAMP="$VENV/.nl2sql-pins"

ready() { [[ -x "$VENV/bin/bqemulator" && -f "$STAMP" && "$(cat "$STAMP")" == "$PINS" ]]; }
ready && exit 0

# Test runs started side by side must not build the same venv at once.
mkdir -p "$(dirname "$VENV")"
exec 9>"$VENV.lock"
flock 9
ready && exit 0

started=$SECONDS
echo "setting up the BigQuery emulator in $VENV ..."
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
# shellcheck disable=SC2086  # PINS is a word list on purpose
"$VENV/bin/pip" install --quiet --disable-pip-version-check $PINS

# Check that the spatial extension installs from the wheel, offline.
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
HOME="$home" "$VENV/bin/python" - <<'PY'
import os
import duckdb
import duckdb_extension_spatial

ext = os.path.join(os.path.dirname(duckdb_extension_spatial.__file__),
                   "extensions", "v" + duckdb.__version__, "spatial.duckdb_extension")
con = duckdb.connect()
con.execute(f"INSTALL '{ext}'")
con.execute("LOAD spatial")
PY

echo "$PINS" > "$STAMP"
echo "BigQuery emulator ready in $((SECONDS - started))s"
