"""Crash test: `python -m bot tips send-due` is SIGKILLed half-way through a batch.

A second pass (`--reclaim-after 0`: we know the first one is dead) completes the day. Every
subscriber then has exactly one tip, except the few that were in flight at the kill: those are
"in doubt", got at most one, and are never sent again. The test prints the figures.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time as time_module
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.delivery import DeliveryPolicy
from bot.flows import subscriptions as daily_tips
from bot.storage import migrate
from bot.storage.database import Database
from bot.storage.repositories import subscriptions
from tests.fakes.bot_api import FakeBotAPI
from tests.integration.conftest import TOKEN
from tests.storage import queries

UTC_ZONE = ZoneInfo("UTC")

SUBSCRIBERS = 200
RATE = 100.0


def _avoid_midnight() -> None:
    """Both passes must see the same UTC date; wait out the last few seconds of a day."""
    now = datetime.now(UTC)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    if midnight - now < timedelta(seconds=30):
        time_module.sleep((midnight - now).total_seconds() + 1)


def _prepare(database_url: str, api: FakeBotAPI) -> None:
    migrate.upgrade(database_url)
    database = Database(database_url)
    now = datetime.now(UTC)

    def work(connection) -> None:
        for user_id in range(1, SUBSCRIBERS + 1):
            daily_tips.subscribe(connection, user_id, time(0, 0), now, UTC_ZONE)
        # Everyone due right now, at 00:00 UTC today (a time that has always passed).
        subscriptions.reschedule_many(
            connection, dict.fromkeys(range(1, SUBSCRIBERS + 1), now - timedelta(minutes=1))
        )

    try:
        database.run_sync(work)
    finally:
        database.close()
    for user_id in range(1, SUBSCRIBERS + 1):
        api.add_user(user_id)


def _send_due(database_url: str, api: FakeBotAPI, *extra: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "DATABASE_URL": database_url,
        "TIPS_RATE_LIMIT": str(RATE),
        "TELEGRAM_RATE_LIMIT": "0",  # the fake has no cap: let tips go at RATE
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "bot", "tips", "send-due", *extra]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_killed_pass_is_completed_without_duplicates(database_url: str) -> None:
    _avoid_midnight()
    with FakeBotAPI() as api:
        _prepare(database_url, api)
        first = _send_due(database_url, api)
        try:
            api.wait_for("sendMessage", timeout=60, count=SUBSCRIBERS // 2)
        finally:
            first.send_signal(signal.SIGKILL)
            first.communicate(timeout=30)
        assert first.returncode == -signal.SIGKILL
        killed_after = len(api.calls("sendMessage"))

        second = _send_due(database_url, api, "--reclaim-after", "0")
        output, errors = second.communicate(timeout=60)
        assert second.returncode == 0, errors
        assert "Daily tips pass: sent" in output

        received: dict[int, int] = {}
        for request in api.calls("sendMessage"):
            if request.ok and request.chat_id is not None:
                received[request.chat_id] = received.get(request.chat_id, 0) + 1

    database = Database(database_url)
    try:
        ledger = database.run_sync(queries.ledger_statuses)
    finally:
        database.close()
    assert set(ledger) == set(range(1, SUBSCRIBERS + 1))
    assert all(len(rows) == 1 for rows in ledger.values())  # one row per user per day
    status = {user_id: rows[0] for user_id, rows in ledger.items()}
    in_doubt = [user_id for user_id, s in status.items() if s == "in_doubt"]
    assert set(status.values()) <= {"sent", "in_doubt"}
    assert all(received.get(u) == 1 for u, s in status.items() if s == "sent")
    assert all(received.get(u, 0) <= 1 for u in in_doubt)  # maybe delivered, never twice
    policy = DeliveryPolicy(rate_limit=RATE)
    assert len(in_doubt) <= policy.claims_per_batch() + policy.sends_in_flight()
    delivered_in_doubt = sum(1 for u in in_doubt if received.get(u))
    print(
        f"\ncrash test ({database_url.split(':')[0]}): {SUBSCRIBERS} subscribers, killed after "
        f"{killed_after} sends; in doubt {len(in_doubt)} (of which {delivered_in_doubt} had "
        f"arrived, {len(in_doubt) - delivered_in_doubt} had not); exactly one tip: "
        f"{sum(1 for v in received.values() if v == 1)}; more than one: "
        f"{sum(1 for v in received.values() if v > 1)}"
    )
    print(f"second pass: {output.strip().splitlines()[0]}")
