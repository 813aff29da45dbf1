"""/progress: a welcome for a new user; otherwise the compact summary and started topics."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.flows.checkup import checkup_progress
from bot.flows.progress import progress_of
from bot.telegram import lean_send
from bot.telegram.context import Context
from bot.telegram.handlers.card import CARD_KEYBOARD
from bot.telegram.render import fit
from bot.telegram.services import get_services
from bot.telegram.views import learning
from bot.telegram.views.checkup import progress_line


async def show_progress(update: Update, context: Context) -> None:
    """/progress and the menu's "My progress" button."""
    services = get_services(context)
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    now = services.clock()
    summary = await services.database.run(
        lambda s: progress_of(
            s,
            services.content,
            user_id=user.id,
            now=now,
            default_zone=services.settings.timezone,
        )
    )
    checkup = await services.database.run(lambda s: checkup_progress(s, services.content, user.id))
    text, keyboard = learning.progress(summary)
    if checkup is not None:  # one line, after the rest
        text = fit(f"{text}\n\n{progress_line(checkup)}")
    rows = [*(keyboard.inline_keyboard if keyboard else ()), *CARD_KEYBOARD.inline_keyboard]
    await lean_send.send_text(context.bot, chat.id, text, InlineKeyboardMarkup(rows))
