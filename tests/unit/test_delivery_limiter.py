"""The global token bucket and the retry policy, on a fake clock (no real sleeping)."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.delivery import DeliveryPolicy
from bot.delivery.token_bucket import TokenBucket


class FakeTime:
    """monotonic() and sleep() for a bucket: sleeping just moves the clock."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


async def test_bucket_keeps_the_configured_rate() -> None:
    clock = FakeTime()
    bucket = TokenBucket(25, monotonic=clock.monotonic, sleep=clock.sleep)
    start = clock.now
    for _ in range(251):
        await bucket.acquire()
    # 251 sends at 25/s take 10 s (the first goes at once; bursts never exceed 2.5 tokens).
    assert clock.now - start == pytest.approx(10.0, rel=0.02)


async def test_bucket_is_shared_by_concurrent_senders() -> None:
    clock = FakeTime()
    bucket = TokenBucket(10, monotonic=clock.monotonic, sleep=clock.sleep)
    start = clock.now
    await asyncio.gather(*(bucket.acquire() for _ in range(51)))
    assert clock.now - start == pytest.approx(5.0, rel=0.02)


async def test_pause_stops_everyone_until_retry_after_has_passed() -> None:
    clock = FakeTime()
    bucket = TokenBucket(1000, monotonic=clock.monotonic, sleep=clock.sleep)
    await bucket.acquire()
    paused_at = clock.now
    bucket.pause(9)
    await bucket.acquire()
    assert clock.now >= paused_at + 9


async def test_bucket_refuses_a_zero_rate() -> None:
    with pytest.raises(ValueError, match="positive"):
        TokenBucket(0)


def test_policy_sizes_follow_the_rate() -> None:
    slow = DeliveryPolicy(rate_limit=25)
    assert slow.claims_per_batch() == 3
    assert slow.sends_in_flight() == 13
    fast = DeliveryPolicy(rate_limit=5000)
    assert fast.claims_per_batch() == 100
    assert fast.sends_in_flight() == 32
    assert DeliveryPolicy(rate_limit=0.5).claims_per_batch() == 1
