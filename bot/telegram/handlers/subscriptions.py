"""/subscribe, /unsubscribe, /settings, the "sub:" buttons, typed HH:MM or city, and blocks.

The rules and the pending question live in `bot.core.tip_settings`; these handlers read the
update, call it and reply. Plain text that answers no question gets exactly the fallback's reply.
"""

from __future__ import annotations

from datetime import time

from telegram import CallbackQuery, InlineKeyboardMarkup, Update, User
from telegram.constants import ChatMemberStatus, ChatType

from bot.core import local_time
from bot.core.local_time import resolve_zone
from bot.core.records import PromptFlow, Subscription
from bot.core.telegram_html import escape, quote_back
from bot.flows import privacy, tip_settings
from bot.flows.tip_settings import AWAIT_TIME, SETTINGS, SUBSCRIBE
from bot.telegram import tip_keyboards as ui
from bot.telegram.context import Context, answer_stale, edit_in_place, query_of
from bot.telegram.handlers import fallback
from bot.telegram.services import Services, get_services


async def _reply(
    update: Update, context: Context, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> None:
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(chat.id, text, reply_markup=keyboard)


def _bad_time(text: str, error: local_time.BadTime) -> str:
    return f"“{quote_back(text)}” is not a time I can use. {escape(str(error))}"


# -------------------------------------------------------------------------------- commands


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
        await _reply(update, context, *ui.ask_time())
        return
    try:
        send_time = local_time.parse_hhmm(args[0])
    except local_time.BadTime as error:
        await _reply(update, context, _bad_time(args[0], error))
        return
    zone_text = " ".join(args[1:]).strip()
    zone, matches = resolve_zone(zone_text) if zone_text else (None, [])
    if zone_text and not matches:
        await _reply(update, context, ui.no_zone_found(zone_text))  # nothing changed
        return
    await _set_time(update, context, services, send_time, SUBSCRIBE, zone=zone)
    if zone_text and zone is None:
        await _reply(update, context, *ui.zone_choices(zone_text, matches, now))


async def unsubscribe_command(update: Update, context: Context) -> None:
    """/unsubscribe: stops at once; says how to come back."""
    services = get_services(context)
    user = update.effective_user
    if user is None:
        return
    stopped = await _stop(services, user.id)
    await _reply(update, context, ui.STOPPED if stopped is not None else ui.NOT_SUBSCRIBED)


async def settings_command(update: Update, context: Context) -> None:
    """/settings (and the menu's "Daily tips"): time, zone, pause/resume."""
    services = get_services(context)
    user = update.effective_user
    if user is None:
        return
    await _reply(update, context, *await _panel(services, user.id))


async def _stop(services: Services, user_id: int) -> Subscription | None:
    now, default = services.clock(), services.settings.timezone
    return await services.database.run(lambda s: tip_settings.stop(s, user_id, now, default))


async def _panel(
    services: Services, user_id: int, headline: str = ""
) -> tuple[str, InlineKeyboardMarkup]:
    default = services.settings.timezone
    sub, zone = await services.database.run(lambda s: tip_settings.panel(s, user_id, default))
    return ui.settings_panel(sub, zone, services.clock(), headline)


# ------------------------------------------------------------------------ applying changes


async def _set_time(
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
        await _reply(update, context, *ui.subscribed_with_zone_prompt(sub, now))
    elif flow == SETTINGS:
        await _reply(update, context, *await _panel(services, user.id, "✅ Time changed."))
    else:
        await _reply(update, context, ui.confirmation(sub, now, "✅ <b>Daily tips are on.</b>"))


async def _set_zone(update: Update, context: Context, services: Services, zone: str) -> None:
    user = update.effective_user
    assert user is not None
    now, default = services.clock(), services.settings.timezone
    sub = await services.database.run(
        lambda s: tip_settings.set_zone(s, user.id, zone, now, default)
    )
    headline = f"✅ Time zone set to {escape(zone)}."
    if sub is not None and sub.active:
        await _reply(update, context, ui.confirmation(sub, now, headline))
    else:
        await _reply(update, context, *await _panel(services, user.id, headline))


# ------------------------------------------------------------------------------ typed text


async def text_input(update: Update, context: Context) -> None:
    """Typed HH:MM or city when we asked for one; otherwise exactly the fallback's reply."""
    services = get_services(context)
    user, message = update.effective_user, update.effective_message
    if user is None or message is None or not message.text:
        await fallback.not_understood(update, context)
        return
    now = services.clock()
    prompt = await services.database.run(lambda s: tip_settings.pending(s, user.id, now))
    if prompt is None:
        await fallback.not_understood(update, context)
    elif prompt.awaiting == AWAIT_TIME:
        await _typed_time(update, context, services, message.text, prompt.flow)
    else:
        await _typed_zone(update, context, services, message.text)


async def _typed_time(
    update: Update, context: Context, services: Services, text: str, flow: PromptFlow
) -> None:
    try:
        send_time = local_time.parse_hhmm(text)
    except local_time.BadTime as error:
        await _reply(update, context, _bad_time(text, error))  # still waiting for a time
        return
    await _set_time(update, context, services, send_time, flow)


async def _typed_zone(update: Update, context: Context, services: Services, text: str) -> None:
    """An exact IANA name is taken as typed; a city or region offers its matches to pick."""
    exact = local_time.canonical_zone(text)
    if exact is not None:
        await _set_zone(update, context, services, exact)
        return
    matches = local_time.search_zones(text)
    if matches:
        await _reply(update, context, *ui.zone_choices(text, matches, services.clock()))
    else:
        await _reply(update, context, ui.no_zone_found(text))  # still waiting for a zone


# --------------------------------------------------------------------------------- buttons


async def sub_button(update: Update, context: Context) -> None:
    """Every "sub:" button; forged or stale data gets a calm answer and changes nothing."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    parsed = ui.parse_sub(query.data or "")
    if parsed is None:
        await answer_stale(query)
        return
    services = get_services(context)
    if parsed.send_time is not None:
        await _time_button(update, context, services, parsed.send_time)
    elif parsed.zone is not None:
        await _zone_button(update, context, services, parsed.zone)
    else:
        assert parsed.action is not None
        await _ACTIONS[parsed.action](update, context, services)


def _query_and_user(update: Update) -> tuple[CallbackQuery, User]:
    """Button handlers run only for callback queries, which always have a user."""
    query = query_of(update)
    return query, query.from_user


async def _time_button(
    update: Update, context: Context, services: Services, send_time: time
) -> None:
    query, user = _query_and_user(update)
    now, default = services.clock(), services.settings.timezone
    found = await services.database.run(lambda s: tip_settings.situation(s, user.id, now, default))
    prompt, current = found.prompt, found.subscription
    if current is not None and current.active and current.send_time == send_time:
        # A double tap (the first one may already have moved on to asking for the zone).
        await query.answer(f"Already set to {local_time.format_hhmm(send_time)}.")
        return
    await query.answer()
    flow = prompt.flow if prompt is not None else (SUBSCRIBE if current is None else SETTINGS)
    await _set_time(update, context, services, send_time, flow)


async def _zone_button(update: Update, context: Context, services: Services, zone: str) -> None:
    query, user = _query_and_user(update)
    now, default = services.clock(), services.settings.timezone
    if zone == "keep":
        kept = await services.database.run(
            lambda s: tip_settings.keep_zone(s, user.id, now, default)
        )
        prompt, sub = kept.prompt, kept.subscription
        await query.answer(f"Keeping {sub.timezone}." if sub else "Nothing to change.")
        if prompt is not None and sub is not None:
            await _reply(update, context, ui.confirmation(sub, now, "✅ <b>All set.</b>"))
        return
    if local_time.canonical_zone(zone) != zone:
        await answer_stale(query)  # not a zone we would ever offer
        return
    current = await services.database.run(lambda s: tip_settings.current_zone(s, user.id))
    if current == zone:
        await query.answer(f"Your time zone is already {zone}.")  # double tap
        return
    await query.answer()
    await _set_zone(update, context, services, zone)


async def _menu(update: Update, context: Context, services: Services) -> None:
    query, user = _query_and_user(update)
    await query.answer()
    await _reply(update, context, *await _panel(services, user.id))


async def _stop_button(update: Update, context: Context, services: Services) -> None:
    query, user = _query_and_user(update)
    if await _stop(services, user.id) is None:
        await query.answer("Daily tips are already off.")
        return
    await query.answer("Daily tips stopped.")
    await _reply(update, context, ui.STOPPED)


async def _ask_time_button(update: Update, context: Context, services: Services) -> None:
    query, user = _query_and_user(update)
    now = services.clock()
    await services.database.run(lambda s: tip_settings.ask_time(s, user.id, now))
    await query.answer()
    await _reply(update, context, *ui.ask_time())


async def _ask_zone_button(update: Update, context: Context, services: Services) -> None:
    query, user = _query_and_user(update)
    now, default = services.clock(), services.settings.timezone
    zone = await services.database.run(lambda s: tip_settings.ask_zone(s, user.id, now, default))
    await query.answer()
    await _reply(update, context, *ui.ask_zone(zone, now))


async def _pause_button(update: Update, context: Context, services: Services) -> None:
    await _toggle(update, services, active=False)


async def _resume_button(update: Update, context: Context, services: Services) -> None:
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
    text, keyboard = ui.settings_panel(sub, sub.timezone, now)
    await edit_in_place(query, text, keyboard)


_ACTIONS = {
    "menu": _menu,
    "stop": _stop_button,
    "time": _ask_time_button,
    "zone": _ask_zone_button,
    "pause": _pause_button,
    "resume": _resume_button,
}


# ------------------------------------------------------------------------------- reachability


async def member_update(update: Update, context: Context) -> None:
    """The user blocked (kicked) or unblocked the bot in their private chat."""
    change = update.my_chat_member
    if change is None or change.chat.type != ChatType.PRIVATE:
        return
    services = get_services(context)
    user_id = change.chat.id
    status = change.new_chat_member.status
    if status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
        await services.database.run(lambda s: privacy.set_reachable(s, user_id, False))
    elif status == ChatMemberStatus.MEMBER:
        await services.database.run(lambda s: privacy.set_reachable(s, user_id, True))
