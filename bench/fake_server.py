"""Start the fake Bot API in its own process, so it does not compete with the bot for the GIL."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from bot.config import PROJECT_ROOT
from tests.fakes.control import FakeBotAPIControl


@contextmanager
def fake_bot_api(*extra: str) -> Iterator[tuple[str, FakeBotAPIControl]]:
    """Yield (base_url, control client) of a fake running in a subprocess."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.bot_api", "--port", "0", *extra],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        if not line.startswith("READY "):
            raise RuntimeError(f"fake Bot API did not start: {line!r}")
        base_url = line.split(" ", 1)[1]
        yield base_url, FakeBotAPIControl(base_url)
    finally:
        process.terminate()
        process.wait(timeout=10)
