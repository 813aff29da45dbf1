"""Anything the bot does not understand gets a short, friendly pointer to /help."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackContext

from bot.telegram.context import answer_stale

POINTER = "I didn't catch that. Type /help to see what I can do."


async def not_understood(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Free text, stickers, unknown commands: one calm sentence, nothing stored."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(POINTER)


async def unknown_button(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
    """A button whose data no feature recognises (forged, or from an older version of the bot)."""
    if update.callback_query is not None:
        await answer_stale(update.callback_query)
