"""`python -m bot run` beats and `python -m bot health` beside it sees it: the HEALTHCHECK."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.fakes.bot_api import FakeBotAPI
from tests.integration.test_end_to_end import bot_environment


def health(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "health"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_polling_bot_is_healthy_and_health_says_so(tmp_path: Path) -> None:
    with FakeBotAPI() as api:
        env = bot_environment(api, tmp_path)
        assert health(env, tmp_path).returncode == 1  # nothing runs yet
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            api.wait_for("setMyCommands", timeout=30)
            deadline = time.monotonic() + 15
            while not (tmp_path / "heartbeat").exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            checked = health(env, tmp_path)
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip() == "healthy"
