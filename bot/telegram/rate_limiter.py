"""The one owner of outgoing rate and 429s: every request python-telegram-bot makes passes here.

`ChatRateLimiter` is a `telegram.ext.BaseRateLimiter`, so `ExtBot` routes every method through
`process_request` (getUpdates excepted, by PTB), including `do_api_request` (the lean sends).

- A request to a chat (its data has a `chat_id`) waits for its turn in `SendScheduler`: replies
  first, daily tips (`rate_limit_args=BULK`) with what is left, chats in turn.
- A request not to a chat (getMe, setMyCommands, answerCallbackQuery, ...) goes at once and does
  not count against the budget: Telegram's ~30/s limit is on messages, and a callback query must
  be answered within seconds or the user's button shows an error.
- On PostgreSQL (several replicas may share the token) a daily tip first waits for a slot of
  the shared bulk budget (`bot/telegram/shared_budget.py`), so all replicas together stay
  within one TIPS_RATE_LIMIT; replies are not shared (each replica answers its own users).
- A 429 pauses every chat send for its retry_after, then the request is tried again, at most
  `max_retries` times; after that the RetryAfter reaches the caller.

`rate_limiter_for(settings)` is the one factory: the application (and with it the daily-tip job)
and `python -m bot tips send-due` both use it, so a 429 is handled the same on both paths.
"""

from __future__ import annotations

import asyncio
import logging
import time as time_module
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot.config import Settings
from bot.storage.database import Database
from bot.telegram.send_scheduler import Lane, SendScheduler, Sleep
from bot.telegram.shared_budget import SharedBulkBudget

log = logging.getLogger(__name__)

BULK = Lane.BULK  # rate_limit_args of a bulk send (a daily tip)
MAX_RETRIES = 3
Result = bool | dict[str, Any] | list[dict[str, Any]]


def retry_after_seconds(error: RetryAfter) -> float:
    """retry_after as seconds, whether PTB gives an int or (PTB_TIMEDELTA) a timedelta."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: Any = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class ChatRateLimiter(BaseRateLimiter[Lane]):
    """Paces requests to chats by priority and owns Telegram's 429 answers."""

    def __init__(
        self,
        rate: float,
        bulk_rate: float,
        *,
        chat_interval: float = 1.0,
        max_retries: int = MAX_RETRIES,
        shared_bulk: SharedBulkBudget | None = None,
        monotonic: Callable[[], float] = time_module.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.scheduler = SendScheduler(
            rate, bulk_rate, chat_interval=chat_interval, monotonic=monotonic, sleep=sleep
        )
        self.max_retries = max_retries
        self.shared_bulk = shared_bulk
        self._sleep = sleep

    async def initialize(self) -> None:
        """Nothing to set up: the dispatcher starts with the first request that must wait."""

    async def shutdown(self) -> None:
        await self.scheduler.close()
        if self.shared_bulk is not None:
            self.shared_bulk.close()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Lane | None,
    ) -> Result:
        chat = data.get("chat_id")
        lane = Lane.BULK if rate_limit_args is Lane.BULK else Lane.REPLY
        paid = bool(data.get("allow_paid_broadcast"))
        attempt = 0
        while True:
            if chat is not None:
                if lane is Lane.BULK and self.shared_bulk is not None:
                    await self.shared_bulk.wait_turn()
                await self.scheduler.turn(chat, lane, paid=paid)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                seconds = retry_after_seconds(error)
                self.scheduler.pause(seconds)  # even when giving up: Telegram asked everyone
                attempt += 1
                if attempt > self.max_retries:
                    log.warning("%s: still 429 after %d retries", endpoint, self.max_retries)
                    raise
                log.info("%s: 429, chat sends paused for %.1f s", endpoint, seconds)
                if chat is None:  # not queued, so the pause does not hold it: wait here
                    await self._sleep(seconds)


def bulk_rate_of(settings: Settings) -> float:
    """Daily tips' messages/s: TIPS_RATE_LIMIT, within TELEGRAM_RATE_LIMIT unless paid."""
    if settings.tips_paid_broadcast or settings.telegram_rate_limit == 0:
        return settings.tips_rate_limit
    return min(settings.tips_rate_limit, settings.telegram_rate_limit)


def rate_limiter_for(settings: Settings, *, unlimited: bool = False) -> ChatRateLimiter:
    """The limiter for a bot built from settings; `unlimited` drops the global budget.

    On PostgreSQL daily tips also share one budget with every other replica (SHARED_TIP_BUDGET),
    through a small engine of their own, so a reservation never queues behind the bot's work.
    """
    rate = 0.0 if unlimited else settings.telegram_rate_limit
    return ChatRateLimiter(rate, settings.tips_rate_limit, shared_bulk=shared_bulk_for(settings))


def shared_bulk_for(settings: Settings) -> SharedBulkBudget | None:
    """The cross-replica tip budget, or None on SQLite (one process) or when turned off."""
    if not settings.shared_tip_budget or not settings.database_url.startswith("postgresql"):
        return None
    database = Database(settings.database_url)
    return SharedBulkBudget(database, bulk_rate_of(settings), owns_database=True)
