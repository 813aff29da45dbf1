"""/stats and /reload for operators listed in ADMIN_USER_IDS; everyone else gets the reply an
unknown command gets, so the commands' existence is not advertised."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update

from bot.core import wording
from bot.flows.operators import Reloaded, operator_stats, reload_bank
from bot.telegram.context import Context
from bot.telegram.handlers import fallback
from bot.telegram.services import Services, get_services
from bot.telegram.views import operators as views

log = logging.getLogger(__name__)


def _is_operator(update: Update, services: Services) -> bool:
    user = update.effective_user
    return user is not None and user.id in services.settings.admin_user_ids


async def stats(update: Update, context: Context) -> None:
    """Totals for the operator: users, activity, subscribers, deliveries, hard questions."""
    services = get_services(context)
    message = update.effective_message
    if message is None:
        return
    if not _is_operator(update, services):
        await fallback.not_understood(update, context)
        return
    now, zone, bank = services.clock(), services.settings.timezone, services.content
    found = await services.database.run(lambda c: operator_stats(c, bank, now=now, zone=zone))
    await message.reply_text(views.stats_text(found))


async def reload(update: Update, context: Context) -> None:
    """Re-read CONTENT_DIR; swap the new bank in only if it validates.

    Handlers and the daily pass read `services.content` when they need it, so replacing the
    attribute is the whole swap: nobody ever sees a half-built bank. Loading reads and validates
    every file, so it runs in a thread rather than holding up other users' updates.
    """
    services = get_services(context)
    message = update.effective_message
    if message is None:
        return
    if not _is_operator(update, services):
        await fallback.not_understood(update, context)
        return
    result = await asyncio.to_thread(reload_bank, services.settings.content_dir)
    if isinstance(result, Reloaded):
        services.content = result.bank
        log.info("content reloaded from %s", services.settings.content_dir)
        await message.reply_text(views.reloaded_text(result.bank))
        return
    log.warning("content reload refused: %s", wording.problems(result.error_count))
    await message.reply_text(views.reload_failed_text(result))
