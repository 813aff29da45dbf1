"""Delivery passes over real HTTP: a real `ExtBot` against the fake Bot API.

Each test drives one pass the way the repeating job does (`deliver_with`), on a bot with the
rate limiter every path uses (`rate_limiter_for`), with a high rate so the suite stays fast; the
job itself is exercised end to end at the bottom.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot.__main__ import main
from bot.config import Settings, load_settings
from bot.core.content import ContentBank
from bot.core.delivery import DeliveryPolicy, PassReport
from bot.flows import subscriptions as daily_tips
from bot.storage import migrate
from bot.storage.database import Database
from bot.storage.repositories import subscriptions
from bot.telegram.delivery_job import deliver_with
from bot.telegram.rate_limiter import MAX_RETRIES, rate_limiter_for
from bot.telegram.services import Services
from tests.fakes.bot_api import FakeBotAPI, RecordedRequest
from tests.integration.conftest import TOKEN, USER, FakeClock, running_bot
from tests.storage import queries

UTC_ZONE = ZoneInfo("UTC")

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
FAST = DeliveryPolicy(rate_limit=500, backoff_base=0.05)


def add_subscribers(api: FakeBotAPI, db: Database, user_ids: range, at: time = time(9)) -> None:
    def work(connection) -> None:
        for user_id in user_ids:
            daily_tips.subscribe(connection, user_id, at, NOON - timedelta(hours=6), UTC_ZONE)

    for user_id in user_ids:
        api.add_user(user_id)
    db.run_sync(work)


@asynccontextmanager
async def bot_for(settings: Settings, read_timeout: float = 5.0) -> AsyncIterator[ExtBot[Any]]:
    request = HTTPXRequest(connection_pool_size=32, read_timeout=read_timeout)
    limiter = rate_limiter_for(settings)
    url = settings.telegram_api_base_url
    async with ExtBot(TOKEN, base_url=url, request=request, rate_limiter=limiter) as bot:
        yield bot


async def one_pass(
    api: FakeBotAPI,
    db: Database,
    bank: ContentBank,
    now: datetime = NOON,
    policy: DeliveryPolicy = FAST,
    read_timeout: float = 5.0,
    **settings_overrides: Any,
) -> PassReport:
    settings = load_settings(
        telegram_bot_token=TOKEN,
        telegram_api_base_url=api.base_url,
        tips_rate_limit=policy.rate_limit,
        **settings_overrides,
    )
    services = Services(settings, bank, db, clock=lambda: now)
    async with bot_for(settings, read_timeout) as bot:
        return await deliver_with(services, bot, policy)


def tips_received(api: FakeBotAPI) -> dict[int, int]:
    counts: dict[int, int] = {}
    for request in api.calls("sendMessage"):
        if request.ok and "Your daily tip" in request.params["text"]:
            assert request.chat_id is not None
            counts[request.chat_id] = counts.get(request.chat_id, 0) + 1
    return counts


async def test_a_pass_sends_exactly_one_message_per_due_subscriber(
    fake_api, database, content_bank
):
    add_subscribers(fake_api, database, range(1, 61))
    add_subscribers(fake_api, database, range(100, 105), at=time(18))  # not due yet
    report = await one_pass(fake_api, database, content_bank)
    assert report.sent == 60
    assert tips_received(fake_api) == {user_id: 1 for user_id in range(1, 61)}
    again = await one_pass(fake_api, database, content_bank, NOON + timedelta(minutes=1))
    assert again.sent == 0
    assert len(tips_received(fake_api)) == 60
    message = fake_api.messages(1)[-1]
    rows = message["reply_markup"]["inline_keyboard"]
    data = {button["text"]: button["callback_data"] for row in rows for button in row}
    tip_id = data["✅ Done"].rsplit(":", 1)[1]
    assert data == {
        "✅ Done": f"act:done:t:{tip_id}",
        "Not for me": f"act:skip:t:{tip_id}",
        "⏰ Remind me in 3 days": f"act:remind:t:{tip_id}",
        "💡 Another tip": "tip:next",
        "❓ Quiz me": "quiz:start",
        "🛑 Stop daily tips": "sub:stop",
    }
    assert "Source:" in message["text"]


async def test_429_retry_after_pauses_all_sending(
    fake_api, database, content_bank, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # PTB warns when retry_after is read as int
    add_subscribers(fake_api, database, range(1, 11))
    fake_api.fail_next("sendMessage", error_code=429, retry_after=1)
    policy = DeliveryPolicy(rate_limit=500, concurrency=3)
    report = await one_pass(fake_api, database, content_bank, policy=policy)
    assert report.sent == 10
    assert tips_received(fake_api) == {user_id: 1 for user_id in range(1, 11)}
    calls = fake_api.calls("sendMessage")
    flood = next(r for r in calls if r.status == 429)
    retried = [r.time for r in calls if r.ok and r.chat_id == flood.chat_id]
    assert retried[0] - flood.time >= 1.0  # the throttled message waited retry_after
    during = [r for r in calls if r.ok and flood.time < r.time < flood.time + 1.0]
    assert len(during) <= 3  # only sends already under way when the 429 came back


async def test_403_blocked_marks_unreachable_and_stops_sending(fake_api, database, content_bank):
    add_subscribers(fake_api, database, range(1, 4))
    fake_api.block_user(2)
    report = await one_pass(fake_api, database, content_bank)
    assert (report.sent, report.blocked) == (2, 1)
    assert not database.run_sync(lambda s: queries.is_reachable(s, 2))
    fake_api.unblock_user(2)
    tomorrow = await one_pass(fake_api, database, content_bank, NOON + timedelta(days=1))
    assert tomorrow.sent == 2  # user 2 is skipped until they /start again
    assert tips_received(fake_api) == {1: 2, 3: 2}


async def test_timed_out_send_is_in_doubt_and_never_duplicated(fake_api, database, content_bank):
    add_subscribers(fake_api, database, range(1, 2))
    fake_api.delay("sendMessage", 1.0)  # delivered, but the answer comes after our timeout
    report = await one_pass(fake_api, database, content_bank, read_timeout=0.3)
    assert report.in_doubt == 1
    await one_pass(fake_api, database, content_bank, NOON + timedelta(minutes=5))
    assert tips_received(fake_api) == {1: 1}  # the user got it once, and only once
    status = database.run_sync(lambda s: queries.delivery_status(s, 1, NOON.date()))
    assert status == "in_doubt"


async def test_a_bad_gateway_is_in_doubt_not_resent(fake_api, database, content_bank):
    # Behind a 502 Telegram may already have delivered the message: resending could double it.
    # Only a connection that was never made is retried (tests/unit/test_tip_sender_errors.py).
    add_subscribers(fake_api, database, range(1, 2))
    fake_api.fail_next("sendMessage", error_code=502, count=1)
    report = await one_pass(fake_api, database, content_bank)
    assert (report.sent, report.in_doubt) == (0, 1)
    assert [r.status for r in fake_api.calls("sendMessage")] == [502]


async def test_the_repeating_job_delivers_and_stop_button_works(
    fake_api, database_url, content_bank
):
    clock = FakeClock(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    async with running_bot(
        fake_api, database_url, content_bank, clock, tips_check_interval=1
    ) as bot:
        await bot.say("/subscribe 08:30 Europe/Berlin")
        clock.advance(timedelta(days=1))  # 10:00 in Berlin tomorrow: today's 08:30 is due
        daily = (
            await fake_api.await_for(
                "sendMessage", lambda r: "Your daily tip" in r.params["text"], timeout=10
            )
        )[-1]
        assert daily.chat_id == USER
        message = bot.last_message()
        await bot.press(message["message_id"], "tip:next")
        assert bot.last_message()["text"].startswith("💡")
        await bot.press(message["message_id"], "sub:stop")
        assert "Daily tips are off." in bot.last_message()["text"]
        stale = await bot.press(message["message_id"], "sub:stop", expect=None)
        answer = fake_api.wait_for(
            "answerCallbackQuery", lambda r: r.params["callback_query_id"] == stale
        )[-1]
        assert answer.params["text"] == "Daily tips are already off."
        assert fake_api.unanswered_callback_queries() == []
    assert len(tips_received(fake_api)) == 1


def flood_and_after(api: FakeBotAPI) -> tuple[RecordedRequest, list[RecordedRequest]]:
    """The 429 answer, and the sends that succeeded within its retry_after (1 s)."""
    calls = api.calls("sendMessage")
    flood = next(r for r in calls if r.status == 429)
    during = [r for r in calls if r.ok and flood.time < r.time < flood.time + 1.0]
    return flood, during


def assert_paused_then_retried(api: FakeBotAPI) -> None:
    flood, during = flood_and_after(api)
    retried = [r.time for r in api.calls("sendMessage") if r.ok and r.chat_id == flood.chat_id]
    assert retried[0] - flood.time >= 1.0  # the throttled message waited retry_after
    assert len(during) <= 2  # only sends already on the wire when the 429 came back


async def test_a_429_during_the_repeating_job_pauses_and_everybody_gets_one_tip(
    fake_api, database_url, content_bank, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    clock = FakeClock(NOON)
    fake_api.fail_next("sendMessage", error_code=429, retry_after=1)
    async with running_bot(
        fake_api, database_url, content_bank, clock, tips_check_interval=1
    ) as bot:
        add_subscribers(fake_api, bot.services.database, range(1, 41))
        await fake_api.await_for(
            "sendMessage", lambda r: r.ok and "Your daily tip" in r.params["text"], count=40
        )
        await asyncio.sleep(1.5)  # the next pass finds nobody due
    assert tips_received(fake_api) == {user_id: 1 for user_id in range(1, 41)}
    assert_paused_then_retried(fake_api)


def test_a_429_during_the_cli_pass_pauses_and_everybody_gets_one_tip(
    fake_api, database_url, content_bank, monkeypatch: pytest.MonkeyPatch, capsys
):
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    for name, value in {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": fake_api.base_url,
        "DATABASE_URL": database_url,
        "TIPS_RATE_LIMIT": "25",
        "LOG_LEVEL": "WARNING",
    }.items():
        monkeypatch.setenv(name, value)
    migrate.upgrade(database_url)
    database = Database(database_url)
    try:
        now = datetime.now(UTC)
        add_subscribers(fake_api, database, range(1, 41), at=time(0, 0))
        due = dict.fromkeys(range(1, 41), now - timedelta(minutes=1))
        database.run_sync(lambda c: subscriptions.reschedule_many(c, due))
    finally:
        database.close()
    fake_api.fail_next("sendMessage", error_code=429, retry_after=1)
    assert main(["tips", "send-due"]) == 0
    assert "sent=40 skipped=0 failed=0 blocked=0 in_doubt=0 deferred=0" in capsys.readouterr().out
    assert tips_received(fake_api) == {user_id: 1 for user_id in range(1, 41)}
    assert_paused_then_retried(fake_api)


async def test_a_429_that_outlasts_the_retries_is_given_back_and_sent_by_the_next_pass(
    fake_api, database, content_bank, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    add_subscribers(fake_api, database, range(1, 6))
    fake_api.fail_next("sendMessage", error_code=429, retry_after=1, count=MAX_RETRIES + 1)
    one_at_a_time = DeliveryPolicy(rate_limit=500, concurrency=1)  # one message meets every 429
    first = await one_pass(fake_api, database, content_bank, policy=one_at_a_time)
    assert (first.sent, first.deferred, first.failed) == (4, 1, 0)
    flood = fake_api.calls("sendMessage")[0]
    assert not database.run_sync(lambda s: queries.delivery_status(s, flood.chat_id, NOON.date()))
    later = await one_pass(fake_api, database, content_bank, NOON + timedelta(minutes=1))
    assert later.sent == 1
    assert tips_received(fake_api) == {user_id: 1 for user_id in range(1, 6)}
