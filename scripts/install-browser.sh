#!/usr/bin/env bash
# Headless Chromium for the page tests (tests/web/test_browser.py).
#
# Playwright drives Debian's chromium package: its own browser download is not
# possible here. Idempotent: does nothing when /usr/bin/chromium exists. CI runs
# as root on Debian; elsewhere sudo is used when available.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    echo "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n1)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "install-browser: run as root (or install the 'chromium' package yourself)" >&2
        exit 1
    fi
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: no apt-get; install Chromium and set CHROMIUM_PATH" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# Fonts keep screenshots and server-rendered charts legible.
$SUDO apt-get install -y -qq chromium fonts-dejavu-core fonts-liberation >/dev/null
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n1)"
