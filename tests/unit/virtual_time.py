"""An auto-jumping virtual clock for asyncio tests of anything that takes `monotonic`/`sleep`.

`sleep` waits on a timer; a background task lets every runnable task run, then jumps the clock
to the earliest timer and fires it. Nothing really sleeps, yet tasks interleave in time order.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

_SETTLE_ROUNDS = 50  # event-loop turns that let every runnable task reach its next wait


class VirtualTime:
    def __init__(self, start: float = 0.0) -> None:
        self.now = start
        self._timers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        wake: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._timers, (self.now + max(0.0, seconds), next(self._order), wake))
        await wake

    async def _jump_forever(self) -> None:
        while True:
            for _ in range(_SETTLE_ROUNDS):
                await asyncio.sleep(0)
            while self._timers and self._timers[0][2].done():  # cancelled sleeps
                heapq.heappop(self._timers)
            if not self._timers:
                await asyncio.sleep(0.001)  # waiting on something that is not a timer
                continue
            at, _, wake = heapq.heappop(self._timers)
            self.now = max(self.now, at)
            wake.set_result(None)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[VirtualTime]:
        jumper = asyncio.create_task(self._jump_forever())
        try:
            yield self
        finally:
            jumper.cancel()
