"""/discreet and its buttons: turn discreet mode on or off, choose when lessons delete."""

from __future__ import annotations

from telegram import Update

from bot.core import wording
from bot.flows import discreet as discreet_flow
from bot.telegram.callbacks import discreet as discreet_data
from bot.telegram.context import Context, edit_in_place, query_of
from bot.telegram.services import get_services
from bot.telegram.views import discreet as views


async def discreet_command(update: Update, context: Context) -> None:
    """/discreet: toggle, then say what it now does, with its choices."""
    services = get_services(context)
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    now = services.clock()
    choices = await services.database.run(lambda c: discreet_flow.toggle(c, user.id, now))
    text, keyboard = views.panel(choices)
    await context.bot.send_message(chat.id, text, reply_markup=keyboard)


async def menu_button(update: Update, context: Context) -> None:
    """dsc:menu from /settings: the discreet-mode panel as a new message, nothing changed."""
    query = query_of(update)
    services = get_services(context)
    user = query.from_user
    choices = await services.database.run(lambda c: discreet_flow.preferences_of(c, user.id))
    await query.answer()
    if query.message is not None:
        text, keyboard = views.panel(choices)
        await context.bot.send_message(query.message.chat.id, text, reply_markup=keyboard)


async def set_button(update: Update, context: Context) -> None:
    """dsc:set:on|off: edit the panel in place; a double tap says so instead."""
    query = query_of(update)
    services = get_services(context)
    user, on, now = query.from_user, discreet_data.switch_of(context), services.clock()
    changed, choices = await services.database.run(
        lambda c: discreet_flow.set_discreet(c, user.id, on, now)
    )
    if not changed:
        await query.answer("Already on." if on else "Already off.")
        return
    await query.answer("Discreet mode on." if on else "Discreet mode off.")
    await edit_in_place(query, *views.panel(choices))


async def delete_button(update: Update, context: Context) -> None:
    """dsc:del:<hours>: when lessons delete themselves (0 keeps them)."""
    query = query_of(update)
    services = get_services(context)
    user, hours, now = query.from_user, discreet_data.hours_of(context), services.clock()
    changed, choices = await services.database.run(
        lambda c: discreet_flow.set_delete_after(c, user.id, hours, now)
    )
    if not changed:
        await query.answer("Already chosen.")
        return
    after = "Lessons stay." if hours is None else f"After {wording.hours(hours)}."
    await query.answer(after)
    await edit_in_place(query, *views.panel(choices))
