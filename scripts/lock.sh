#!/usr/bin/env bash
# Regenerate constraints.txt: the exact versions `make install`, CI and the
# Docker image install. Resolves pyproject.toml's ranges (with the dev extras)
# in a fresh venv, so the file never carries leftovers of an old environment.
# Run it after changing dependencies, and commit the result.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"${PYTHON:-python3}" -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --disable-pip-version-check "$ROOT[dev]"
{
  echo "# Exact versions for make install, CI and the Docker image (pip install -c)."
  echo "# Regenerate with scripts/lock.sh after changing pyproject.toml's dependencies."
  "$tmp/venv/bin/pip" freeze --exclude-editable | grep -v -i '^nl2sql[= @]' | sort -f
} > "$ROOT/constraints.txt"
echo "wrote $ROOT/constraints.txt"
