"""One bulk budget for every replica on one PostgreSQL: daily tips wait for a shared send slot.

Each replica's `SendScheduler` paces its own sends; with several replicas on one bot token that
would multiply Telegram's budget by the number of replicas. So before a daily tip takes its
local turn it takes a slot from `send_budget` (bot/storage/repositories/send_budget.py): a
reservation clock in the database that every replica moves forward atomically. A replica
reserves a tenth of a second's slots per round trip, so the database sees about ten small
statements a second per sending replica, and slots it cannot use (its pass ended) are simply
left to expire: an unused slot can only make the combined rate lower, never higher.

A slot that has already passed by more than one interval is skipped rather than used late, so
late sends cannot bunch up behind on-time ones.
"""

from __future__ import annotations

import asyncio
import math
import time as time_module
from collections import deque
from collections.abc import Callable

from bot.flows.send_budget import reserve_bulk
from bot.storage.database import Database
from bot.telegram.send_scheduler import Sleep

SLOTS_PER_SECOND_RESERVED = 0.1  # each round trip reserves this many seconds of slots


class SharedBulkBudget:
    """Hands out shared send slots, in order, to this process's daily-tip sends."""

    def __init__(
        self,
        database: Database,
        rate: float,
        *,
        owns_database: bool = False,
        monotonic: Callable[[], float] = time_module.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("a shared budget needs a positive rate")
        self.database = database
        self.rate = rate
        self.interval = 1.0 / rate
        self.batch = max(1, math.ceil(rate * SLOTS_PER_SECOND_RESERVED))
        self.owns_database = owns_database
        self._monotonic = monotonic
        self._sleep = sleep
        self._slots: deque[float] = deque()  # local monotonic instants, earliest first
        self._refill = asyncio.Lock()

    async def wait_turn(self) -> None:
        """Return at this send's slot: no replica sends a bulk message in the same slot."""
        async with self._refill:
            at = await self._next_slot()
        delay = at - self._monotonic()
        if delay > 0:
            await self._sleep(delay)

    async def _next_slot(self) -> float:
        while True:
            now = self._monotonic()
            while self._slots and self._slots[0] < now - self.interval:
                self._slots.popleft()  # too late for it: using it would bunch with the next
            if self._slots:
                return self._slots.popleft()
            count, rate = self.batch, self.rate
            reservation = await self.database.run(lambda c: reserve_bulk(c, count, rate))
            # Delays count from the database's clock at the reservation; measuring them from
            # after the round trip can only make a slot later here, never earlier.
            base = self._monotonic()
            self._slots.extend(base + delay for delay in reservation.delays())

    def close(self) -> None:
        if self.owns_database:
            self.database.close()
