"""The rate limiter's rules on virtual time: budget, priorities, fairness, pacing, 429s.

`VirtualTime` is an auto-jumping clock: `sleep` waits on a timer, and when every task is
blocked the clock jumps to the next timer. Nothing really sleeps, yet tasks interleave as they
would in real time, so "a reply arriving during a wave" means what it says.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.core.delivery import DeliveryPolicy
from bot.telegram.rate_limiter import BULK, ChatRateLimiter, bulk_rate_of, rate_limiter_for
from bot.telegram.send_scheduler import Lane
from tests.unit.virtual_time import VirtualTime


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # PTB warns when RetryAfter is built otherwise


class Telegram:
    """Stands in for the HTTP call: records (time, endpoint, chat), answers 429 when told."""

    def __init__(self, clock: VirtualTime) -> None:
        self.clock = clock
        self.calls: list[tuple[float, str, Any]] = []
        self.floods: list[int] = []  # retry_after of the next answers

    async def call(self, endpoint: str, data: dict[str, Any]) -> bool:
        self.calls.append((self.clock.now, endpoint, data.get("chat_id")))
        if self.floods:
            raise RetryAfter(timedelta(seconds=self.floods.pop(0)))
        return True

    def times(self, chat: Any = None, endpoint: str | None = None) -> list[float]:
        return [
            t
            for t, e, c in self.calls
            if (chat is None or c == chat) and (endpoint is None or e == endpoint)
        ]


@asynccontextmanager
async def limited(rate: float = 30, bulk_rate: float = 25, **options: Any) -> AsyncIterator[Any]:
    clock = VirtualTime()
    limiter = ChatRateLimiter(
        rate, bulk_rate, monotonic=clock.monotonic, sleep=clock.sleep, **options
    )
    telegram = Telegram(clock)

    def send(
        chat: Any, lane: Lane | None = None, endpoint: str = "sendMessage", **data: Any
    ) -> Coroutine[Any, Any, Any]:
        payload = {"chat_id": chat, **data} if chat is not None else dict(data)
        return limiter.process_request(
            telegram.call, (endpoint, payload), {}, endpoint, payload, lane
        )

    async with clock.running():
        try:
            yield clock, limiter, telegram, send
        finally:
            await limiter.shutdown()


async def test_the_global_rate_holds_across_chats() -> None:
    async with limited(rate=30) as (_clock, _, telegram, send):
        await asyncio.gather(*(send(chat) for chat in range(301)))
    times = telegram.times()
    # 301 replies at 30/s: the first goes at once, then 300 more over 10 s, never faster.
    assert times[-1] - times[0] == pytest.approx(10.0, rel=0.02)
    per_second = max(sum(1 for t in times if s <= t < s + 1) for s in times)
    assert per_second <= 31  # 30 a second plus the one-message start


async def test_rate_zero_means_no_client_side_limit() -> None:
    async with limited(rate=0) as (clock, _, telegram, send):
        start = clock.now
        await asyncio.gather(*(send(chat) for chat in range(500)))
    assert clock.now == start
    assert len(telegram.calls) == 500


async def test_a_reply_goes_before_a_waiting_wave_of_bulk_sends() -> None:
    async with limited(rate=30, bulk_rate=25) as (clock, _, telegram, send):
        wave = [asyncio.ensure_future(send(chat, BULK)) for chat in range(1, 201)]
        await clock.sleep(2.0)  # the wave is under way
        asked = clock.now
        await send(10_000)
        answered = telegram.times(10_000)[0]
        await asyncio.gather(*wave)
    assert answered - asked <= 1 / 30 + 1e-6  # at most one budget slot
    bulk = [t for t, _, c in telegram.calls if c < 10_000]
    bulk_rate = (len(bulk) - 1) / (bulk[-1] - bulk[0])
    assert bulk_rate == pytest.approx(25, rel=0.05)  # the bulk cap, inside the global budget


async def test_replies_take_the_whole_budget_and_bulk_uses_what_is_left() -> None:
    async with limited(rate=30, bulk_rate=25) as (clock, _, telegram, send):
        replies = [asyncio.ensure_future(send(chat)) for chat in range(1000, 1090)]  # 3 s
        wave = [asyncio.ensure_future(send(chat, BULK)) for chat in range(1, 51)]
        await asyncio.gather(*replies)
        replies_done = clock.now
        await asyncio.gather(*wave)
    bulk_during_replies = [t for t, _, c in telegram.calls if c < 1000 and t < replies_done]
    assert len(bulk_during_replies) == 0
    assert replies_done == pytest.approx(3.0, abs=0.05)


async def test_one_chats_backlog_never_delays_another_chats_reply() -> None:
    async with limited(rate=10) as (clock, _, telegram, send):
        backlog = [asyncio.ensure_future(send(1)) for _ in range(50)]  # 5 s of replies to chat 1
        await clock.sleep(1.0)
        asked = clock.now
        await send(2)
        await asyncio.gather(*backlog)
    assert telegram.times(2)[0] - asked <= 2 / 10 + 1e-6  # its turn comes after one of chat 1's


async def test_bulk_sends_to_one_chat_are_paced_about_one_a_second() -> None:
    async with limited(rate=30, bulk_rate=25) as (_, _, telegram, send):
        await asyncio.gather(*(send(7, BULK) for _ in range(5)), send(8, BULK))
    times = telegram.times(7)
    assert [round(b - a, 6) >= 1.0 for a, b in itertools.pairwise(times)] == [True] * 4
    assert telegram.times(8)[0] < times[1]  # another chat does not wait for chat 7's pacing


async def test_paid_broadcast_bulk_is_outside_the_global_budget() -> None:
    async with limited(rate=30, bulk_rate=1000) as (clock, _, telegram, send):
        start = clock.now
        wave = [send(chat, BULK, allow_paid_broadcast=True) for chat in range(1, 1001)]
        replies = [send(chat) for chat in range(5000, 5030)]
        await asyncio.gather(*wave, *replies)
    paid = [t for t, _, c in telegram.calls if c < 5000]
    assert max(paid) - start == pytest.approx(1.0, rel=0.05)  # 1,000/s
    reply_times = [t for t, _, c in telegram.calls if c >= 5000]
    assert max(reply_times) - start == pytest.approx(1.0, rel=0.1)  # still 30/s, not starved


async def test_requests_not_to_a_chat_are_neither_queued_nor_paused() -> None:
    async with limited(rate=1) as (clock, limiter, telegram, send):
        backlog = [asyncio.ensure_future(send(chat)) for chat in range(20)]
        await clock.sleep(0.5)
        limiter.scheduler.pause(30)
        asked = clock.now
        await send(None, endpoint="answerCallbackQuery", callback_query_id="q")
        await send(None, endpoint="getMe")
        for task in backlog:
            task.cancel()
    assert telegram.times(endpoint="answerCallbackQuery") == [asked]
    assert telegram.times(endpoint="getMe") == [asked]


async def test_a_429_pauses_every_chat_then_the_request_is_retried() -> None:
    async with limited(rate=100) as (clock, _, telegram, send):
        telegram.floods = [5]
        first = asyncio.ensure_future(send(1))
        await clock.sleep(0.001)
        flooded_at = clock.now
        others = [asyncio.ensure_future(send(chat)) for chat in range(2, 6)]
        await asyncio.gather(first, *others)
    assert telegram.times(1) == [pytest.approx(0.0), pytest.approx(5.0)]
    assert all(t >= flooded_at + 4.999 for chat in range(2, 6) for t in telegram.times(chat))


async def test_a_429_that_persists_reaches_the_caller_after_the_retries() -> None:
    async with limited(rate=100, max_retries=2) as (_clock, _, telegram, send):
        telegram.floods = [1, 1, 1, 1]
        with pytest.raises(RetryAfter):
            await send(1, BULK)
    assert len(telegram.times(1)) == 3  # the first try and two retries, a pause before each
    assert telegram.floods == [1]


async def test_a_429_on_a_request_not_to_a_chat_waits_and_retries_it() -> None:
    async with limited(rate=100) as (_clock, _, telegram, send):
        telegram.floods = [2]
        await send(None, endpoint="setMyCommands")
    assert telegram.times(endpoint="setMyCommands") == [0.0, 2.0]


async def test_a_cancelled_waiter_gives_up_its_turn() -> None:
    async with limited(rate=1) as (clock, _, telegram, send):
        await send(1)  # takes the only token
        gone = asyncio.ensure_future(send(2))
        waiting = asyncio.ensure_future(send(3))
        await clock.sleep(0.1)
        gone.cancel()
        await waiting
    assert telegram.times(2) == []
    assert telegram.times(3) == [pytest.approx(1.0)]


def test_the_bulk_rate_is_capped_by_the_global_budget_unless_paid() -> None:
    from bot.config import load_settings

    assert bulk_rate_of(load_settings()) == 25
    assert bulk_rate_of(load_settings(tips_rate_limit=100)) == 30
    assert bulk_rate_of(load_settings(tips_rate_limit=100, telegram_rate_limit=0)) == 100
    paid = load_settings(tips_rate_limit=1000, tips_paid_broadcast=True)
    assert bulk_rate_of(paid) == 1000
    assert rate_limiter_for(paid).scheduler.budget.rate == 30
    assert rate_limiter_for(paid, unlimited=True).scheduler.budget.rate == 0


def test_policy_sizes_follow_the_rate() -> None:
    slow = DeliveryPolicy(rate_limit=25)
    assert slow.claims_per_batch() == 3
    assert slow.sends_in_flight() == 13
    fast = DeliveryPolicy(rate_limit=5000)
    assert fast.claims_per_batch() == 100
    assert fast.sends_in_flight() == 32
    assert DeliveryPolicy(rate_limit=0.5).claims_per_batch() == 1
