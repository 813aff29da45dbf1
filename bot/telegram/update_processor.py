"""Process updates concurrently across users, one at a time per user, and fairly under floods.

PTB handles updates strictly one after another by default, so one user's slow round trip holds
up everyone. Fully concurrent processing would let a user's double tap or two quick poll answers
race each other. A lock per user gives both: many users at once, each user's updates in order.

The limit on work in flight is taken inside the user's lock, not before it: otherwise one user
who sends ten messages at once would hold all the slots while their updates wait on each other,
and everybody else would wait too.

Floods: forwarding a hundred messages is one tap in Telegram. PTB starts a task per update and
each waits for one of `ACCEPTED_AT_ONCE` slots in arrival order, so without a bound a user's
backlog would take every slot and another user's /help would wait behind all of it. Each user may
therefore have at most `user_queue_limit` updates pending; beyond that a message or a button tap
is skipped at once (it never waits, so it holds a slot only for a moment), and the user hears
"slow down" once per burst. Poll answers and membership changes are never skipped: they record
something the user cannot send again (a quiz answer, a block), and Telegram sends them only in
reply to what the bot did, so one user cannot produce them faster than the bot sends polls.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# Updates PTB may hand over at once. Each user holds at most `user_queue_limit` (USER_QUEUE_LIMIT,
# 20 by default) of them, so it takes a dozen users flooding at the same moment to fill them;
# skipped updates leave at once.
ACCEPTED_AT_ONCE = 256
# At most one "slow down" per user in this many seconds, however long the burst goes on.
NOTICE_INTERVAL = 30.0

# Called for a skipped update that needs an answer: every button tap, and the first skip of a
# burst with `notify` true, when the user should hear "slow down".
SkipHandler = Callable[[object, bool], Awaitable[None]]


class PerUserUpdateProcessor(BaseUpdateProcessor):
    def __init__(
        self,
        in_flight: int,
        *,
        user_queue_limit: int | None,
        on_skipped: SkipHandler | None = None,
        accepted_at_once: int = ACCEPTED_AT_ONCE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`user_queue_limit=None` means no bound (benchmarks compare against it)."""
        super().__init__(accepted_at_once)
        self._in_flight = asyncio.Semaphore(in_flight)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}
        self._user_queue_limit = user_queue_limit
        self._on_skipped = on_skipped
        self._notices = NoticeSpacing(NOTICE_INTERVAL, clock)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _user_key(update)
        if key is None:
            async with self._in_flight:
                await coroutine
            return
        if self._is_full(key) and may_skip(update):
            await self._skip(key, update, coroutine)
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock, self._in_flight:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if self._waiting[key] == 0:  # Forget idle users so the dicts do not grow forever.
                del self._waiting[key]
                del self._locks[key]

    def _is_full(self, key: int) -> bool:
        limit = self._user_queue_limit
        return limit is not None and self._waiting.get(key, 0) >= limit

    async def _skip(self, key: int, update: object, coroutine: Awaitable[Any]) -> None:
        """Drop the update unhandled; answer for it (a button's spinner, one notice a burst)."""
        if isinstance(coroutine, Coroutine):
            coroutine.close()  # never started: closing it avoids "never awaited" warnings
        notify = self._notices.claim(key)
        if self._on_skipped is None or not (notify or _is_tap(update)):
            return  # nothing to say: leave at once, so a flood never holds the slots
        # A reply is one more request on the HTTP pool, which is sized for the work in flight.
        async with self._in_flight:
            await self._on_skipped(update, notify)

    async def initialize(self) -> None:
        """Nothing to set up; locks are created on demand."""

    async def shutdown(self) -> None:
        """Nothing to release."""


class NoticeSpacing:
    """Who was told "slow down" in the last `interval` seconds, forgetting the rest.

    Entries are added in time order, so the oldest are always at the front and expired ones
    are removed from there as new claims come in: the record never outgrows one interval.
    """

    def __init__(self, interval: float, clock: Callable[[], float]) -> None:
        self._interval = interval
        self._clock = clock
        self._told: OrderedDict[int, float] = OrderedDict()

    def claim(self, key: int) -> bool:
        """True (and remembered) if `key` was not told within the interval."""
        now = self._clock()
        while self._told and now - next(iter(self._told.values())) >= self._interval:
            self._told.popitem(last=False)
        if key in self._told:
            return False
        self._told[key] = now
        return True


def may_skip(update: object) -> bool:
    """Messages and button taps may be skipped; everything else records a fact we must keep."""
    return isinstance(update, Update) and (
        update.message is not None
        or update.edited_message is not None
        or update.callback_query is not None
    )


def _is_tap(update: object) -> bool:
    """A skipped tap is always answered, or the button keeps spinning until Telegram gives up."""
    return isinstance(update, Update) and update.callback_query is not None


def _user_key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    if update.effective_chat is not None:
        return update.effective_chat.id
    return None
