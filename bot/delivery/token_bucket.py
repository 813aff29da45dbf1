"""A global send budget shared by every concurrent send of a delivery pass."""

from __future__ import annotations

import asyncio
import time as time_module
from collections.abc import Awaitable, Callable

Sleep = Callable[[float], Awaitable[None]]
_EPSILON = 1e-9


class TokenBucket:
    """A global send budget: `rate` per second, bursts up to `burst`, and a shared pause.

    One bucket serves every concurrent send of a pass, so the rate holds across all users; a 429
    empties it and pauses everyone until Telegram's retry_after has passed.
    """

    def __init__(
        self,
        rate: float,
        burst: float | None = None,
        *,
        monotonic: Callable[[], float] = time_module.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.capacity = burst if burst is not None else max(1.0, rate / 10)
        self._monotonic = monotonic
        self._sleep = sleep
        self._tokens = 1.0  # start gently: no burst right after a pause or start-up
        self._updated = monotonic()
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        """Wait until one message may be sent (first come, first served)."""
        async with self._lock:
            while True:
                now = self._monotonic()
                if now < self._paused_until:
                    await self._sleep(self._paused_until - now)
                    continue
                self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
                self._updated = now
                if self._tokens >= 1.0 - _EPSILON:  # float sums like 0.999... count as whole
                    self._tokens = max(0.0, self._tokens - 1.0)
                    return
                await self._sleep((1.0 - self._tokens) / self.rate)

    def pause(self, seconds: float) -> None:
        """Stop all sending for `seconds` (Telegram's retry_after) and restart without a burst."""
        now = self._monotonic()
        self._paused_until = max(self._paused_until, now + seconds)
        self._tokens = 0.0
        self._updated = self._paused_until
