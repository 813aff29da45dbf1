"""Changing daily-tip settings and saying so: shared by the commands, the buttons and typed text.

Each function runs one flow from `bot.flows.tip_settings` and sends the reply that goes with
its result, so a time set by a button, by /subscribe 08:30 or by typing 08:30 reads the same.
"""

from __future__ import annotations

from datetime import time

from telegram import InlineKeyboardMarkup, Update

from bot.core import local_time
from bot.core.records import PromptFlow, Subscription
from bot.core.telegram_html import escape, quote_back
from bot.flows import tip_settings
from bot.flows.discreet import preferences_of
from bot.flows.tip_settings import SETTINGS, SUBSCRIBE
from bot.telegram.context import Context
from bot.telegram.services import Services
from bot.telegram.views import daily_settings as views


async def reply(
    update: Update, context: Context, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> None:
    """A new message in the update's chat (the message with the button, if any, stays)."""
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(chat.id, text, reply_markup=keyboard)


def bad_time(text: str, error: local_time.BadTime) -> str:
    return f"“{quote_back(text)}” is not a time I can use. {escape(str(error))}"


async def stop(services: Services, user_id: int) -> Subscription | None:
    """Stop daily tips; None when there was nothing to stop."""
    now, default = services.clock(), services.settings.timezone
    return await services.database.run(lambda s: tip_settings.stop(s, user_id, now, default))


async def panel(
    services: Services, user_id: int, headline: str = ""
) -> tuple[str, InlineKeyboardMarkup]:
    """The /settings panel as it stands now."""
    default = services.settings.timezone
    (sub, zone), choices = await services.database.run(
        lambda s: (tip_settings.panel(s, user_id, default), preferences_of(s, user_id))
    )
    return views.settings_panel(sub, zone, services.clock(), headline, choices)


async def set_time(
    update: Update,
    context: Context,
    services: Services,
    send_time: time,
    flow: PromptFlow,
    *,
    zone: str | None = None,
) -> None:
    """Store the time (and zone); in the subscribe flow, then offer to change the zone."""
    user = update.effective_user
    assert user is not None
    now, default = services.clock(), services.settings.timezone
    sub = await services.database.run(
        lambda s: tip_settings.set_time(s, user.id, send_time, flow, now, default, zone=zone)
    )
    if flow == SUBSCRIBE and zone is None:  # set_time asked for the zone
        await reply(update, context, *views.subscribed_with_zone_prompt(sub, now))
    elif flow == SETTINGS:
        await reply(update, context, *await panel(services, user.id, "✅ Time changed."))
    else:
        await reply(update, context, views.confirmation(sub, now, "✅ <b>Daily tips are on.</b>"))


async def set_zone(update: Update, context: Context, services: Services, zone: str) -> None:
    """Store a zone known to exist; confirm with the next tip, or show the panel if paused."""
    user = update.effective_user
    assert user is not None
    now, default = services.clock(), services.settings.timezone
    sub = await services.database.run(
        lambda s: tip_settings.set_zone(s, user.id, zone, now, default)
    )
    headline = f"✅ Time zone set to {escape(zone)}."
    if sub is not None and sub.active:
        await reply(update, context, views.confirmation(sub, now, headline))
    else:
        await reply(update, context, *await panel(services, user.id, headline))
