"""Another process holding SQLite's write lock never freezes the bot for everybody.

The README says `tips send-due` may run beside the bot, and an operator may open the file in a
sqlite3 shell. The event loop must not sit out that lock: other users still get their replies,
and the update that needed the lock is handled once the lock is free.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from tests.integration.conftest import running_bot

WAITER, OTHER = 2001, 2002
HOLD_SECONDS = 3.0

HOLD_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("COMMIT")
"""


def hold_write_lock(path: Path) -> subprocess.Popen[str]:
    """A second process takes the write lock and keeps it for HOLD_SECONDS."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path), str(HOLD_SECONDS)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "locked"
    return holder


async def test_other_users_get_replies_while_another_process_holds_the_lock(
    fake_api, tmp_path, content_bank, clock
):
    path = tmp_path / "bot.sqlite3"
    async with running_bot(fake_api, f"sqlite:///{path}", content_bank, clock) as bot:
        await bot.say("/start", user_id=WAITER)  # a known user, so /start below must write
        holder = hold_write_lock(path)
        try:
            locked_at = time.monotonic()
            fake_api.send_text(WAITER, "/start")  # needs the write lock
            fake_api.send_text(OTHER, "/help")
            await fake_api.await_for("sendMessage", lambda r: r.chat_id == OTHER)
            helped_after = time.monotonic() - locked_at
            waiting = [r for r in fake_api.calls("sendMessage") if r.chat_id == WAITER]
            assert len(waiting) == 1  # the second /start is still waiting for the lock
        finally:
            holder.communicate(timeout=HOLD_SECONDS + 5)
        assert helped_after < HOLD_SECONDS / 2
        await fake_api.await_for("sendMessage", lambda r: r.chat_id == WAITER, count=2)
        await bot.wait_until_quiet()
        assert not any("went wrong" in str(r.params.get("text")) for r in fake_api.requests)
