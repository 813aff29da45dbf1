"""Anything the bot does not understand gets a short, friendly pointer to /help."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackContext

POINTER = "I didn't catch that. Type /help to see what I can do."


async def not_understood(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Free text, stickers, unknown commands: one calm sentence, nothing stored."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(POINTER)
