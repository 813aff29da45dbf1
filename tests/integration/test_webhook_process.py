"""`python -m bot run --webhook` as a real subprocess: the operator's path, start to SIGTERM."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

from tests.fakes.bot_api import FakeBotAPI
from tests.integration.test_end_to_end import bot_environment
from tests.integration.webhook_bot import PUBLIC_ORIGIN, SECRET, WEBHOOK_PATH


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_run_webhook_in_a_subprocess_answers_and_stops_cleanly(tmp_path: Path) -> None:
    port = free_port()
    with FakeBotAPI() as api:
        api.redirect_webhook(PUBLIC_ORIGIN, f"http://127.0.0.1:{port}")
        env = bot_environment(
            api,
            tmp_path,
            WEBHOOK_URL=PUBLIC_ORIGIN + WEBHOOK_PATH,
            WEBHOOK_SECRET=SECRET,
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--webhook"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            api.wait_for("setWebhook", timeout=30)
            api.send_text(7, "/start")
            reply = api.wait_for("sendMessage", lambda r: r.chat_id == 7, timeout=15)[0]
        finally:
            process.send_signal(signal.SIGTERM)
            output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "What I store" in reply.params["text"]
    assert api.calls("getUpdates") == []
    assert api.calls("deleteWebhook") == []  # the webhook outlives the process
    assert SECRET not in output  # logged at DEBUG, still redacted
    assert "Traceback" not in output


def test_a_port_in_use_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as taken, FakeBotAPI() as api:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        env = bot_environment(
            api,
            tmp_path,
            WEBHOOK_URL=PUBLIC_ORIGIN + WEBHOOK_PATH,
            WEBHOOK_SECRET=SECRET,
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
            LOG_LEVEL="INFO",
        )
        result = subprocess.run(
            [sys.executable, "-m", "bot", "run", "--webhook"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1
    assert f"Could not listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr
    assert api.calls("setWebhook") == []  # never registered a webhook nobody serves
