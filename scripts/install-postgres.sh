#!/usr/bin/env bash
# PostgreSQL for the multi-instance state tests (tests/fakes/postgres.py starts
# a private server with initdb + pg_ctl). Idempotent: does nothing when initdb
# is already installed. CI runs as root on Debian; elsewhere sudo is used.
set -euo pipefail

if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "postgresql: $(ls -d /usr/lib/postgresql/*/ 2>/dev/null | head -n1)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "install-postgres: run as root (or install the 'postgresql' package yourself)" >&2
        exit 1
    fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-postgres: no apt-get; install PostgreSQL (initdb, pg_ctl) yourself" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq postgresql >/dev/null
echo "postgresql: $(ls -d /usr/lib/postgresql/*/ | head -n1)"
