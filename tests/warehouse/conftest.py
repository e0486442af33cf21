"""The BigQuery emulator, once per session, for every warehouse test that needs it."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.fakes.bqemulator import Emulator, EmulatorUnavailable, start_emulator


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    try:
        emu = start_emulator(tmp_path_factory.mktemp("bqemulator"))
    except EmulatorUnavailable as e:
        message = f"BigQuery emulator unavailable: {e}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield emu
    finally:
        emu.stop()
