"""/tip and the "tip:" buttons: a practical tip the user has not seen yet.

The order is the one daily delivery uses (`bot.core.tips.choose_tip`), so /tip and daily tips
together walk through every tip before any repeats.
"""

from __future__ import annotations

from telegram import Update

from bot.flows.tips import next_tip_for
from bot.telegram import deletion_job
from bot.telegram.context import Context, query_of
from bot.telegram.services import get_services
from bot.telegram.views import tips as tip_views


async def send_next_tip(update: Update, context: Context) -> None:
    services = get_services(context)
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    now = services.clock()
    found = await services.database.run(lambda s: next_tip_for(s, services.content, user.id, now))
    if found is None:
        await context.bot.send_message(chat.id, tip_views.NO_TIPS)
        return
    text, keyboard = tip_views.tip_message(
        found.tip, found.unseen_left, len(services.content.tips)
    )
    sent = await context.bot.send_message(chat.id, text, reply_markup=keyboard)
    await deletion_job.remember(services, user.id, chat.id, sent.message_id)


async def tip_command(update: Update, context: Context) -> None:
    """/tip: one tip, with "Another tip" and "Daily tips" buttons."""
    await send_next_tip(update, context)


async def tip_button(update: Update, context: Context) -> None:
    """ "Another tip" (and the main menu's "Tip"): a new message with the next tip."""
    await query_of(update).answer()
    await send_next_tip(update, context)
