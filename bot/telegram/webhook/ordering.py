"""Per-sender order across replicas: an update starts only when its sender's earlier ones are done.

One process keeps a sender's updates in order with a lock per user (`PerUserUpdateProcessor`).
Behind a load balancer two replicas may each receive one of a sender's updates (a double tap, two
quick poll answers); the inbox in the shared PostgreSQL (`bot/storage/repositories/
update_inbox.py`) makes them take turns in update_id order on every replica:

1. intake accepts the update id and records it in the inbox, in one transaction;
2. `handle` waits (locally behind this replica's earlier updates of the sender, then by asking
   the database with a short backoff) until it is the update's turn, and marks it started;
3. the update goes through PTB's update processor like any other, and the inbox row is deleted.

Only the head of a sender's local line asks the database, so a flood from one person costs one
poll, not one per message. On SQLite (one process) none of this runs: intake puts updates on
PTB's queue as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError
from telegram import Update

from bot.flows import updates as update_flow
from bot.storage.database import Database

log = logging.getLogger(__name__)

FIRST_POLL = 0.005  # seconds; doubles while waiting, up to LAST_POLL
LAST_POLL = 0.1


def lane_of(update: Update) -> int | None:
    """Whose updates must stay in order: the sender (or the chat, for updates without one)."""
    if update.effective_user is not None:
        return update.effective_user.id
    if update.effective_chat is not None:
        return update.effective_chat.id
    return None


class ReplicaOrdering:
    """Runs webhook updates through PTB one sender at a time across every replica."""

    def __init__(
        self, application: Any, database: Database, clock: Callable[[], datetime]
    ) -> None:
        self.application = application
        self.database = database
        self.clock = clock
        self._local: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def handle(self, update: Update, lane: int) -> None:
        """Wait for the update's turn, process it through PTB, then release the sender."""
        lock = self._local.setdefault(lane, asyncio.Lock())
        self._waiting[lane] = self._waiting.get(lane, 0) + 1
        try:
            async with lock:
                try:
                    await self._wait_for_turn(update.update_id, lane)
                    processor = self.application.update_processor
                    await processor.process_update(update, self.application.process_update(update))
                finally:
                    await self._end_turn(update.update_id)
        finally:
            self._waiting[lane] -= 1
            if self._waiting[lane] == 0:  # forget idle senders so the dicts do not grow
                del self._waiting[lane]
                del self._local[lane]

    async def _wait_for_turn(self, update_id: int, lane: int) -> None:
        pause = FIRST_POLL
        while True:
            try:
                if await self.database.run(self._start_turn(update_id, lane, self.clock())):
                    return
            except SQLAlchemyError as error:
                log.warning("webhook: could not ask for update %s's turn (%s)", update_id, error)
            await asyncio.sleep(pause)
            pause = min(LAST_POLL, pause * 2)

    @staticmethod
    def _start_turn(update_id: int, lane: int, now: datetime) -> Callable[[Connection], bool]:
        return lambda connection: update_flow.start_turn(connection, update_id, lane, now)

    async def _end_turn(self, update_id: int) -> None:
        """Best effort: a row left behind only delays its sender until it goes stale."""
        with contextlib.suppress(SQLAlchemyError):
            await self.database.run(lambda c: update_flow.end_turn(c, update_id))
