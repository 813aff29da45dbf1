"""The progress card: "📊 Card" under /progress, and the weekly-card switch in /settings."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatAction

from bot.flows.card import card_of, set_weekly
from bot.telegram.callbacks import card as card_data
from bot.telegram.card_send import send_card
from bot.telegram.context import Context, edit_in_place, query_of
from bot.telegram.handlers.daily_tip_changes import panel
from bot.telegram.services import get_services
from bot.telegram.views.card import CARD_FIRST_LINE, CARD_KEYBOARD

__all__ = ["CARD_KEYBOARD", "show_card", "weekly_button"]


async def show_card(update: Update, context: Context) -> None:
    """card:show: the card as a photo, with the same facts in its caption."""
    query = query_of(update)
    services = get_services(context)
    user = query.from_user
    if query.message is None:
        await query.answer()
        return
    chat_id = query.message.chat.id
    await query.answer()
    await context.bot.send_chat_action(chat_id, ChatAction.UPLOAD_PHOTO)
    now = services.clock()
    facts = await services.database.run(
        lambda c: card_of(
            c, services.content, user_id=user.id, now=now, default_zone=services.settings.timezone
        )
    )
    await send_card(context.bot, chat_id, facts, first_line=CARD_FIRST_LINE)


async def weekly_button(update: Update, context: Context) -> None:
    """card:weekly:on|off from /settings: switch, then show the panel as it is now."""
    query = query_of(update)
    services = get_services(context)
    user = query.from_user
    on = card_data.weekly_of(context)
    now, default = services.clock(), services.settings.timezone
    changed, _ = await services.database.run(lambda c: set_weekly(c, user.id, on, now, default))
    if not changed:
        await query.answer("Already on." if on else "Already off.")
        return
    await query.answer("Weekly card on: every Monday." if on else "Weekly card off.")
    await edit_in_place(query, *await panel(services, user.id))
