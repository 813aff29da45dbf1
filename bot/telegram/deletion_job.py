"""Lessons that delete themselves: remember them when sent, delete them when due.

The deadlines live in the database (`messages_to_delete`), so a restart still deletes what is
due: the job runs soon after start and every minute. A message already gone (the user deleted
it, or the chat) counts as done, and so does one Telegram will no longer delete (past its 48
hours): retrying those would never succeed. Network trouble and 429s leave the rest for the
next run.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial
from typing import Any

from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ExtBot

from bot.core.discreet import MessageRef, Preferences
from bot.flows.discreet import due_deletions, forget_deleted, remember_lesson, remember_with
from bot.telegram.context import Context
from bot.telegram.jobs import repeat
from bot.telegram.rate_limiter import BULK
from bot.telegram.services import Services, get_services

log = logging.getLogger(__name__)

JOB_NAME = "delete-lessons"
INTERVAL = timedelta(minutes=1)
FIRST_RUN = timedelta(seconds=1)
BATCH = 100
GONE = "message to delete not found"


async def remember(services: Services, user_id: int, chat_id: int, message_id: int) -> None:
    """After sending a lesson: schedule its deletion if this user asked for that."""
    ref, now = MessageRef(chat_id, message_id), services.clock()
    await services.database.run(lambda c: remember_lesson(c, user_id, ref, now))


async def remember_for(
    services: Services, user_id: int, choices: Preferences, message_id: int
) -> None:
    """`remember` with the user's choices already known (the daily pass read them)."""
    ref, now = MessageRef(user_id, message_id), services.clock()
    await services.database.run(lambda c: remember_with(c, user_id, choices, ref, now))


async def delete_due(context: Context) -> None:
    """The job."""
    deleted = await delete_due_with(get_services(context), context.bot)
    if deleted:
        log.info("deleted %d lessons that were due", deleted)


async def delete_due_with(services: Services, bot: ExtBot[Any]) -> int:
    """Delete every message due now, in batches; how many were dealt with."""
    now, handled = services.clock(), 0
    while True:
        due = await services.database.run(lambda c: due_deletions(c, now, BATCH))
        done = [ref for ref in due if await _delete(bot, ref)]
        if done:
            await services.database.run(partial(forget_deleted, refs=done))
        handled += len(done)
        if len(due) < BATCH or len(done) < len(due):
            return handled  # all done, or trouble reaching Telegram: the next run retries


async def _delete(bot: ExtBot[Any], ref: MessageRef) -> bool:
    """Delete one message; True when it is gone or can never be deleted."""
    try:
        await bot.delete_message(ref.chat_id, ref.message_id, rate_limit_args=BULK)
    except BadRequest as error:
        if GONE not in error.message.lower():
            log.warning("could not delete a lesson: %s", error.message)
        return True
    except Forbidden:
        return True  # the user blocked the bot; their chat is theirs now
    except TelegramError as error:
        log.info("lesson deletion postponed: %s", type(error).__name__)
        return False
    return True


def schedule_deletions(application: Any) -> None:
    """Start the repeating job (called from the application's post_init)."""
    repeat(application, delete_due, name=JOB_NAME, interval=INTERVAL, first=FIRST_RUN)
