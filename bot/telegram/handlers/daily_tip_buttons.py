"""The daily-tip buttons: settings actions, a tapped time, a picked zone, "Keep <zone>".

`bot.app` registers one handler per button kind of `bot.telegram.callbacks.daily`, so each
handler gets data that already parsed. A double tap finds the change already made and says so
in the button's answer instead of confirming again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import CallbackQuery, Update, User

from bot.core import local_time
from bot.flows import tip_settings
from bot.flows.tip_settings import SETTINGS, SUBSCRIBE
from bot.telegram.callbacks import daily as daily_data
from bot.telegram.callbacks.daily import DailyAction
from bot.telegram.context import Context, answer_stale, edit_in_place, query_of
from bot.telegram.handlers.daily_tip_changes import panel, reply, set_time, set_zone, stop
from bot.telegram.services import Services, get_services
from bot.telegram.views import daily_settings as views


def _query_and_user(update: Update) -> tuple[CallbackQuery, User]:
    """Button handlers run only for callback queries, which always have a user."""
    query = query_of(update)
    return query, query.from_user


async def time_button(update: Update, context: Context) -> None:
    """sub:t:HHMM: set the daily time, in whichever flow asked for it."""
    query, user = _query_and_user(update)
    services = get_services(context)
    send_time = daily_data.time_of(context)
    now, default = services.clock(), services.settings.timezone
    found = await services.database.run(lambda s: tip_settings.situation(s, user.id, now, default))
    prompt, current = found.prompt, found.subscription
    if current is not None and current.active and current.send_time == send_time:
        # A double tap (the first one may already have moved on to asking for the zone).
        await query.answer(f"Already set to {local_time.format_hhmm(send_time)}.")
        return
    await query.answer()
    flow = prompt.flow if prompt is not None else (SUBSCRIBE if current is None else SETTINGS)
    await set_time(update, context, services, send_time, flow)


async def zone_button(update: Update, context: Context) -> None:
    """sub:z:<zone>: a zone picked from the matches of what the user typed."""
    query, user = _query_and_user(update)
    services = get_services(context)
    zone = daily_data.zone_of(context)
    if local_time.canonical_zone(zone) != zone:
        await answer_stale(query)  # shaped like a zone, but not one we would ever offer
        return
    current = await services.database.run(lambda s: tip_settings.current_zone(s, user.id))
    if current == zone:
        await query.answer(f"Your time zone is already {zone}.")  # double tap
        return
    await query.answer()
    await set_zone(update, context, services, zone)


async def keep_zone_button(update: Update, context: Context) -> None:
    """ "Keep <zone>": answer the zone question without changing the zone."""
    query, user = _query_and_user(update)
    services = get_services(context)
    now, default = services.clock(), services.settings.timezone
    kept = await services.database.run(lambda s: tip_settings.keep_zone(s, user.id, now, default))
    prompt, sub = kept.prompt, kept.subscription
    await query.answer(f"Keeping {sub.timezone}." if sub else "Nothing to change.")
    if prompt is not None and sub is not None:
        await reply(update, context, views.confirmation(sub, now, "✅ <b>All set.</b>"))


async def action_button(update: Update, context: Context) -> None:
    """sub:<action>: the settings panel's buttons and "Stop daily tips"."""
    await ACTION_HANDLERS[daily_data.action_of(context)](update, context, get_services(context))


async def _menu(update: Update, context: Context, services: Services) -> None:
    query, user = _query_and_user(update)
    await query.answer()
    await reply(update, context, *await panel(services, user.id))


async def _stop(update: Update, context: Context, services: Services) -> None:
    query, user = _query_and_user(update)
    if await stop(services, user.id) is None:
        await query.answer("Daily tips are already off.")
        return
    await query.answer("Daily tips stopped.")
    await reply(update, context, views.STOPPED)


async def _ask_time(update: Update, context: Context, services: Services) -> None:
    query, user = _query_and_user(update)
    now = services.clock()
    await services.database.run(lambda s: tip_settings.ask_time(s, user.id, now))
    await query.answer()
    await reply(update, context, *views.ask_time())


async def _ask_zone(update: Update, context: Context, services: Services) -> None:
    query, user = _query_and_user(update)
    now, default = services.clock(), services.settings.timezone
    zone = await services.database.run(lambda s: tip_settings.ask_zone(s, user.id, now, default))
    await query.answer()
    await reply(update, context, *views.ask_zone(zone, now))


async def _pause(update: Update, context: Context, services: Services) -> None:
    await _toggle(update, services, active=False)


async def _resume(update: Update, context: Context, services: Services) -> None:
    await _toggle(update, services, active=True)


async def _toggle(update: Update, services: Services, *, active: bool) -> None:
    """Pause/Resume edit the settings panel in place; a double tap changes nothing."""
    query, user = _query_and_user(update)
    now, default = services.clock(), services.settings.timezone
    changed, sub = await services.database.run(
        lambda s: tip_settings.toggle(s, user.id, active, now, default)
    )
    if sub is None:
        await query.answer("You have no daily tips yet. Send /subscribe to start.")
        return
    if not changed:
        await query.answer("Already on." if active else "Already paused.")
        return
    await query.answer("Resumed." if active else "Paused.")
    await edit_in_place(query, *await panel(services, user.id))


_Action = Callable[[Update, Context, Services], Awaitable[None]]

# One handler for every DailyAction (a unit test checks none is missing).
ACTION_HANDLERS: dict[DailyAction, _Action] = {
    DailyAction.MENU: _menu,
    DailyAction.STOP: _stop,
    DailyAction.ASK_TIME: _ask_time,
    DailyAction.ASK_ZONE: _ask_zone,
    DailyAction.PAUSE: _pause,
    DailyAction.RESUME: _resume,
}
