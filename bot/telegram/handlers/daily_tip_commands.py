"""/subscribe, /unsubscribe and /settings: the daily-tip commands."""

from __future__ import annotations

from telegram import Update

from bot.core import local_time
from bot.core.local_time import resolve_zone
from bot.flows import tip_settings
from bot.flows.tip_settings import SUBSCRIBE
from bot.telegram.context import Context
from bot.telegram.handlers.daily_tip_changes import bad_time, panel, reply, set_time, stop
from bot.telegram.services import get_services
from bot.telegram.views import daily_settings as views


async def subscribe_command(update: Update, context: Context) -> None:
    """/subscribe, or the shortcut `/subscribe 08:30 Europe/Berlin`."""
    services = get_services(context)
    user = update.effective_user
    if user is None:
        return
    now = services.clock()
    args = context.args or []
    if not args:
        await services.database.run(
            lambda s: tip_settings.ask_time(s, user.id, now, flow=SUBSCRIBE)
        )
        await reply(update, context, *views.ask_time())
        return
    try:
        send_time = local_time.parse_hhmm(args[0])
    except local_time.BadTime as error:
        await reply(update, context, bad_time(args[0], error))
        return
    zone_text = " ".join(args[1:]).strip()
    zone, matches = resolve_zone(zone_text) if zone_text else (None, [])
    if zone_text and not matches:
        await reply(update, context, views.no_zone_found(zone_text))  # nothing changed
        return
    await set_time(update, context, services, send_time, SUBSCRIBE, zone=zone)
    if zone_text and zone is None:
        await reply(update, context, *views.zone_choices(zone_text, matches, now))


async def unsubscribe_command(update: Update, context: Context) -> None:
    """/unsubscribe: stops at once; says how to come back."""
    services = get_services(context)
    user = update.effective_user
    if user is None:
        return
    stopped = await stop(services, user.id)
    await reply(update, context, views.STOPPED if stopped is not None else views.NOT_SUBSCRIBED)


async def settings_command(update: Update, context: Context) -> None:
    """/settings: time, zone, pause/resume."""
    services = get_services(context)
    user = update.effective_user
    if user is None:
        return
    await reply(update, context, *await panel(services, user.id))
