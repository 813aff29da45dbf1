"""One bulk budget for every replica on one PostgreSQL: daily tips wait for a shared send slot.

Each replica's `SendScheduler` paces its own sends; with several replicas on one bot token that
would multiply Telegram's budget by the number of replicas. So before a daily tip takes its
local turn it takes a slot from `send_budget` (bot/storage/repositories/send_budget.py): a
reservation clock in the database that every replica moves forward atomically. A replica
reserves a tenth of a second's slots per round trip, so the database sees about ten small
statements a second per sending replica, and slots it cannot use (its pass ended) are simply
left to expire: an unused slot can only make the combined rate lower, never higher.

Slots are instants on the database's clock. A replica turns them into its own monotonic clock
with the smallest (answer received - database clock) seen over recent reservations: that is the
clock offset plus the fastest trip back, so one slow round trip does not shift a whole batch late
onto the next replica's batch. A slot that has already passed by more than one interval, when
it is taken or when its sleep ends, is given up rather than used late, so late sends cannot
bunch up on top of on-time ones.
"""

from __future__ import annotations

import asyncio
import math
import time as time_module
from collections import deque
from collections.abc import Callable

from sqlalchemy import Connection

from bot.flows.send_budget import Reservation, reserve_bulk
from bot.storage.database import Database
from bot.telegram.send_scheduler import Sleep

SLOTS_PER_SECOND_RESERVED = 0.1  # each round trip reserves this many seconds of slots
OFFSET_SAMPLES = 64  # reservations the clock offset is estimated over (follows slow drift)


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
        self._offsets: deque[float] = deque(maxlen=OFFSET_SAMPLES)

    async def wait_turn(self) -> None:
        """Return within one interval of this send's own slot: no two sends share a slot.

        If the process was too busy to wake up in time (a stalled loop), the slot is gone and
        the send takes the next one, rather than going late on top of the following slots.
        """
        while True:
            async with self._refill:
                at = await self._next_slot()
            delay = at - self._monotonic()
            if delay > 0:
                await self._sleep(delay)
            if self._monotonic() - at <= self.interval:
                return

    async def _next_slot(self) -> float:
        while True:
            now = self._monotonic()
            while self._slots and self._slots[0] < now - self.interval:
                self._slots.popleft()  # too late for it: using it would bunch with the next
            if self._slots:
                return self._slots.popleft()
            reservation = await self.database.run(self._reserve)
            # The answer arrived after the database read its clock, so this offset can only
            # place a slot later here than on the database's clock, never earlier.
            database_now = reservation.database_now.timestamp()
            self._offsets.append(self._monotonic() - database_now)
            offset = min(self._offsets)
            self._slots.extend(offset + database_now + delay for delay in reservation.delays())

    def _reserve(self, connection: Connection) -> Reservation:
        return reserve_bulk(connection, self.batch, self.rate)

    def close(self) -> None:
        if self.owns_database:
            self.database.close()
