"""Several replicas on one PostgreSQL: webhook order per sender, and daily tips by three worker
processes with one SIGKILLed.

Webhook: two replicas share the database; a sender's second update reaches the other replica
while the first is still being handled, and waits for it.

Daily tips:
Three `python -m bot tips send-due` processes run the same wave against one database and one
fake Bot API. One is killed mid-wave; the next pass (`--reclaim-after 0`: we know it is dead)
resolves what it left. Every subscriber then has exactly one ledger row; every "sent" one got
exactly one message; the dead worker's in-flight claims are "in doubt", got at most one, and
were never sent again. The shared budget keeps the three together within one limit: no
one-second window of delivered messages holds more than TELEGRAM_RATE_LIMIT.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time as time_module
from collections import Counter, deque
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.content import ContentBank
from bot.core.delivery import DeliveryPolicy
from bot.flows import subscriptions as daily_tips
from bot.storage import migrate
from bot.storage.database import Database
from bot.storage.repositories import subscriptions
from tests.conftest import fresh_postgres_database
from tests.fakes.bot_api import FakeBotAPI
from tests.integration.conftest import TOKEN, USER, FakeClock
from tests.integration.test_webhook import start_update
from tests.integration.webhook_bot import running_webhook_bot
from tests.storage import queries

UTC_ZONE = ZoneInfo("UTC")
SUBSCRIBERS = 3000
WORKERS = 3
TIPS_RATE = 120.0  # the one bulk budget all workers share
# What no one-second window may exceed: the headroom above the tip budget is for replies in a
# real deployment (25 of 30 by default), and here absorbs a loaded machine's scheduling jitter.
TELEGRAM_LIMIT = 180


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from fresh_postgres_database()


SLOW_REPLY = 1.0  # seconds the fake holds the first update's reply


async def test_a_senders_later_update_waits_for_the_earlier_on_another_replica(
    fake_api: FakeBotAPI, postgres_url: str, content_bank: ContentBank, clock: FakeClock
) -> None:
    first_update = start_update(fake_api, 8_001)
    second_update = {
        **start_update(fake_api, 8_002),
        "message": {**first_update["message"], "message_id": 2, "text": "/help"},
    }
    async with (
        running_webhook_bot(fake_api, postgres_url, content_bank, clock) as first,
        running_webhook_bot(fake_api, postgres_url, content_bank, clock) as second,
    ):
        fake_api.delay("sendMessage", SLOW_REPLY)
        assert await first.post(first_update) == 200
        await fake_api.await_for("sendMessage", lambda r: r.chat_id == USER)
        assert await second.post(second_update) == 200  # while the first is being handled
        await fake_api.await_for("sendMessage", lambda r: r.chat_id == USER, count=2, timeout=10)
        await first.wait_until_quiet()
        await second.wait_until_quiet()
        replies = [r for r in fake_api.calls("sendMessage") if r.chat_id == USER]
    assert len(replies) == 2
    # The second reply was only asked for once the first one had been answered.
    assert replies[1].time - replies[0].time >= SLOW_REPLY * 0.9


def _avoid_midnight() -> None:
    """Every pass must see the same UTC date; wait out the last minute of a day."""
    now = datetime.now(UTC)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    if midnight - now < timedelta(seconds=90):
        time_module.sleep((midnight - now).total_seconds() + 1)


def _prepare(database_url: str, api: FakeBotAPI) -> None:
    migrate.upgrade(database_url)
    database = Database(database_url)
    now = datetime.now(UTC)
    everyone = range(1, SUBSCRIBERS + 1)

    def work(connection) -> None:
        for user_id in everyone:
            daily_tips.subscribe(connection, user_id, time(0, 0), now, UTC_ZONE)
        subscriptions.reschedule_many(
            connection, dict.fromkeys(everyone, now - timedelta(minutes=1))
        )

    try:
        database.run_sync(work)
    finally:
        database.close()
    for user_id in everyone:
        api.add_user(user_id)


def _worker(database_url: str, api: FakeBotAPI, *extra: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "DATABASE_URL": database_url,
        "TIPS_RATE_LIMIT": str(TIPS_RATE),
        "TELEGRAM_RATE_LIMIT": str(TELEGRAM_LIMIT),
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "bot", "tips", "send-due", *extra]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def busiest_second(times: list[float]) -> int:
    """The most sends in any one-second window (the fake's meter, over request times)."""
    window: deque[float] = deque()
    busiest = 0
    for at in sorted(times):
        window.append(at)
        while window[0] <= at - 1.0:
            window.popleft()
        busiest = max(busiest, len(window))
    return busiest


def test_three_workers_one_killed_deliver_once_within_one_budget(postgres_url: str) -> None:
    _avoid_midnight()
    with FakeBotAPI() as api:
        _prepare(postgres_url, api)
        workers = [_worker(postgres_url, api) for _ in range(WORKERS)]
        victim = workers[0]
        try:
            api.wait_for("sendMessage", timeout=60, count=SUBSCRIBERS // 3)
        finally:
            victim.send_signal(signal.SIGKILL)
            victim.communicate(timeout=30)
        assert victim.returncode == -signal.SIGKILL
        killed_after = len(api.calls("sendMessage"))
        outputs = [worker.communicate(timeout=90) for worker in workers[1:]]
        for worker, (_, errors) in zip(workers[1:], outputs, strict=True):
            assert worker.returncode == 0, errors
        recovery = _worker(postgres_url, api, "--reclaim-after", "0")
        _, errors = recovery.communicate(timeout=60)
        assert recovery.returncode == 0, errors

        sends = [r for r in api.calls("sendMessage") if r.ok and r.chat_id is not None]
        received = Counter(r.chat_id for r in sends)
        busiest = busiest_second([r.time for r in sends])
        span = max(r.time for r in sends) - min(r.time for r in sends)

    database = Database(postgres_url)
    try:
        ledger = database.run_sync(queries.ledger_statuses)
    finally:
        database.close()
    assert set(ledger) == set(range(1, SUBSCRIBERS + 1))
    assert all(len(rows) == 1 for rows in ledger.values())
    status = {user_id: rows[0] for user_id, rows in ledger.items()}
    assert set(status.values()) <= {"sent", "in_doubt"}
    in_doubt = [user_id for user_id, s in status.items() if s == "in_doubt"]
    assert all(received[u] == 1 for u, s in status.items() if s == "sent")
    assert all(received[u] <= 1 for u in in_doubt)
    policy = DeliveryPolicy(rate_limit=TIPS_RATE)
    assert len(in_doubt) <= policy.claims_per_batch() + policy.sends_in_flight()
    assert busiest <= TELEGRAM_LIMIT
    print(
        f"\nreplicas: {WORKERS} workers, {SUBSCRIBERS} subscribers, one killed after "
        f"{killed_after} sends; in doubt {len(in_doubt)}; more than one tip: "
        f"{sum(1 for v in received.values() if v > 1)}; busiest second {busiest} "
        f"(limit {TELEGRAM_LIMIT}, shared tip budget {TIPS_RATE:.0f}/s); "
        f"{len(sends)} sends in {span:.1f} s"
    )
