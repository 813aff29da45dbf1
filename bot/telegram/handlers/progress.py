"""/progress: a welcome for a new user; otherwise the compact summary and started topics."""

from __future__ import annotations

from telegram import Update

from bot.flows.progress import progress_of
from bot.telegram import lean_send
from bot.telegram.context import Context
from bot.telegram.services import get_services
from bot.telegram.views import learning


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
    text, keyboard = learning.progress(summary)
    await lean_send.send_text(context.bot, chat.id, text, keyboard)
