"""`python -m bot run` as a real subprocess against the fake Bot API: the operator's path."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from bot.config import PROJECT_ROOT
from tests.fakes.bot_api import FakeBotAPI

TOKEN = "424242:E2E-secret-token-value-abcdefghij"


def bot_environment(api: FakeBotAPI | None, tmp_path: Path, **extra: str) -> dict[str, str]:
    """An operator's environment: our variables only, nothing from the developer's shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        DATABASE_URL=f"sqlite:///{tmp_path / 'e2e.sqlite3'}",
        LOG_LEVEL="DEBUG",
        PYTHONPATH=str(PROJECT_ROOT),
    )
    if api is not None:
        env.update(
            TELEGRAM_API_BASE_URL=api.base_url, TELEGRAM_API_BASE_FILE_URL=api.base_file_url
        )
    env.update(extra)
    return env


def run_bot(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`python -m bot run` to completion (for runs expected to stop by themselves)."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_start_over_real_polling_in_a_subprocess(tmp_path: Path) -> None:
    with FakeBotAPI() as api:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            env=bot_environment(api, tmp_path),
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            api.wait_for("setMyCommands", timeout=30)
            api.send_text(7, "/start")
            reply = api.wait_for("sendMessage", lambda r: r.chat_id == 7, timeout=15)[0]
        finally:
            process.send_signal(signal.SIGINT)
            output, _ = process.communicate(timeout=30)
    assert "What I store" in reply.params["text"]
    assert reply.params["parse_mode"] == "HTML"
    commands = api.calls("setMyCommands")[0].params["commands"]
    assert {"start", "help", "quiz", "learn"} <= {c["command"] for c in commands}
    assert (tmp_path / "e2e.sqlite3").exists()
    # DEBUG logging was on, httpx logged every request URL: the token must not appear.
    assert "HTTP Request" in output
    assert TOKEN not in output
    assert TOKEN.split(":")[1] not in output
    # Even at DEBUG, no message text (ours or the user's) reaches the log.
    assert "What I store" not in output
    assert "first_name" not in output
    assert process.returncode == 0


def test_run_without_token_explains_and_exits_2(tmp_path: Path) -> None:
    env = bot_environment(None, tmp_path)
    del env["TELEGRAM_BOT_TOKEN"]
    result = run_bot(env, tmp_path)
    assert result.returncode == 2
    assert "@BotFather" in result.stderr
    assert "python -m bot chat" in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_content_stops_start_up_with_the_error_list(tmp_path: Path) -> None:
    broken = PROJECT_ROOT / "tests" / "unit" / "broken_content" / "unsupported_tag"
    with FakeBotAPI() as api:
        result = run_bot(bot_environment(api, tmp_path, CONTENT_DIR=str(broken)), tmp_path)
    assert result.returncode == 1
    where = r"content.yaml:\d+: item explainer sample-explainer: field pages.0"
    assert re.search(where, result.stderr)
    assert "Traceback" not in result.stderr
    assert api.calls("getUpdates") == []


def test_unreachable_bot_api_is_one_clear_line_not_a_traceback(tmp_path: Path) -> None:
    # The discard port: nothing listens there. INFO, as an operator would run it.
    env = bot_environment(
        None, tmp_path, TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot", LOG_LEVEL="INFO"
    )
    result = run_bot(env, tmp_path)
    assert result.returncode == 1
    assert "Could not reach the Bot API at http://127.0.0.1:9/bot" in result.stderr
    assert "Traceback" not in result.stderr
    assert TOKEN not in result.stderr
