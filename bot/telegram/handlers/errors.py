"""The error handler: log what failed without the user's text, and answer politely."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import CallbackContext

from bot.flows import privacy
from bot.telegram.answer_tracking import already_answered
from bot.telegram.services import get_services

log = logging.getLogger(__name__)

SORRY = "Sorry, something went wrong on my side. Please try again in a moment."


async def on_error(update: object, context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Log the failure by type and update id only: message text can be sensitive."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, Forbidden) and isinstance(update, Update) and update.effective_user:
        # The user blocked the bot: stop spending rate budget on them until they /start again.
        user_id = update.effective_user.id
        await get_services(context).database.run(
            lambda s: privacy.set_reachable(s, user_id, False)
        )
        log.info("user unreachable (update %s): %s", update_id, type(error).__name__)
        return
    log.error(
        "error while handling update %s: %s",
        update_id,
        type(error).__name__,
        exc_info=(type(error), error, error.__traceback__) if error else None,
    )
    if not isinstance(update, Update):
        return
    if update.callback_query is not None:
        query = update.callback_query
        if already_answered(context.bot_data, query.id):
            return  # Telegram refuses a second answer; the user saw the first one
        with contextlib.suppress(TelegramError):  # too old: nothing more to do
            await query.answer(SORRY)
    elif update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, SORRY)
        except TelegramError:
            log.warning("could not tell the user about the error (update %s)", update_id)
