"""Start the fake Bot API in its own process, so it does not compete with the bot for the GIL."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from bot.config import PROJECT_ROOT
from tests.fakes.control import FakeBotAPIControl


@dataclass(frozen=True)
class FakeServer:
    base_url: str
    control: FakeBotAPIControl
    pid: int

    def cpu_seconds(self) -> float:
        """User+system CPU the fake has used so far (from /proc), to see if it is the limit."""
        with open(f"/proc/{self.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks


def own_cpu_seconds() -> float:
    """User+system CPU of this process, all threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def fake_bot_api(*extra: str) -> Iterator[FakeServer]:
    """A fake Bot API running in a subprocess, with its control client."""
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
        yield FakeServer(base_url, FakeBotAPIControl(base_url), process.pid)
    finally:
        process.terminate()
        process.wait(timeout=10)
