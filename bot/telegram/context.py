"""Small helpers feature handlers share: the context type and a calm answer to stale buttons."""

from __future__ import annotations

import contextlib
from typing import Any

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackContext

Context = CallbackContext[Any, Any, Any, Any]

STALE_BUTTON = "That button is out of date. Type /help to start again."


async def answer_stale(query: CallbackQuery) -> None:
    """Answer a button we cannot act on (old message, forged data) without changing anything."""
    with contextlib.suppress(BadRequest):
        await query.answer(STALE_BUTTON, show_alert=False)


def query_of(update: Update) -> CallbackQuery:
    query = update.callback_query
    assert query is not None  # registered only as a CallbackQueryHandler
    return query


async def edit_in_place(
    query: CallbackQuery, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> None:
    """Edit the button's message; a double tap that asks for what is shown is not an error."""
    try:
        await query.edit_message_text(text, reply_markup=keyboard)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise
