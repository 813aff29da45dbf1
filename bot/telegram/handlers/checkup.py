"""/checkup, its buttons, and /checklist: the 7-day course and what is done or left."""

from __future__ import annotations

import contextlib
from typing import Any

from telegram import Bot, Update
from telegram.error import BadRequest

from bot.core.checkup import CheckupFinished, DayView
from bot.core.content import Platform
from bot.flows import actions as action_flows
from bot.flows import checkup as flows
from bot.telegram import lean_send
from bot.telegram.callbacks import checkup as checkup_data
from bot.telegram.context import Context, answer_stale, query_of
from bot.telegram.services import get_services
from bot.telegram.views import checkup as views


async def send_day(bot: Bot, chat_id: int, view: DayView, **send: Any) -> int:
    """The day's message with its buttons, then its two quiz polls; returns the message id.

    The polls are graded by Telegram itself (quiz mode shows the explanation), so nothing about
    the answers is stored.
    """
    text, keyboard = views.day_message(view)
    message = await bot.send_message(chat_id, text, reply_markup=keyboard, **send)
    for q in view.day.check:
        await lean_send.send_quiz_poll(
            bot, chat_id, q.question, q.options, q.correct, q.explanation
        )
    return int(message.message_id)


async def _show(context: Context, chat_id: int, shown: DayView | CheckupFinished | None) -> None:
    if shown is None:
        text, keyboard = views.platform_question()
        await lean_send.send_text(context.bot, chat_id, text, keyboard)
    elif isinstance(shown, CheckupFinished):
        await lean_send.send_text(context.bot, chat_id, views.finished_message(shown))
    else:
        await send_day(context.bot, chat_id, shown)


async def checkup_command(update: Update, context: Context) -> None:
    """/checkup and the menu's button: the open day, or the device question the first time."""
    services = get_services(context)
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    if not services.content.checkup:
        await lean_send.send_text(context.bot, chat.id, views.NO_COURSE)
        return
    shown = await services.database.run(lambda s: flows.current(s, services.content, user.id))
    await _show(context, chat.id, shown)


async def platform_button(update: Update, context: Context) -> None:
    """A device was chosen: store it and show the open day (day 1 the first time)."""
    services = get_services(context)
    query = query_of(update)
    choice = checkup_data.platform_of(context)
    now = services.clock()
    zone = services.settings.timezone
    shown = await services.database.run(
        lambda s: flows.choose_platform(s, services.content, query.from_user.id, choice, now, zone)
    )
    await query.answer()
    await _show(context, query.from_user.id, shown)


async def change_button(update: Update, context: Context) -> None:
    query = query_of(update)
    await query.answer()
    text, keyboard = views.platform_question()
    await lean_send.send_text(context.bot, query.from_user.id, text, keyboard)


async def next_button(update: Update, context: Context) -> None:
    """ "Next day now": only from the day the user is on; an old or repeated tap is stale."""
    services = get_services(context)
    query = query_of(update)
    from_day = checkup_data.day_of(context)
    now = services.clock()
    zone = services.settings.timezone
    shown = await services.database.run(
        lambda s: flows.next_day(s, services.content, query.from_user.id, from_day, now, zone)
    )
    if shown is None:
        await answer_stale(query)
        return
    await query.answer()
    await _show(context, query.from_user.id, shown)


async def _send_checklist(context: Context, chat_id: int, platform: Platform | None) -> None:
    services = get_services(context)
    found = await services.database.run(
        lambda s: action_flows.checklist(s, services.content, chat_id, platform)
    )
    if found is None:
        text, keyboard = views.platform_question(for_checklist=True)
    else:
        text, keyboard = views.checklist_message(found)
    await lean_send.send_text(context.bot, chat_id, text, keyboard)


async def checklist_command(update: Update, context: Context) -> None:
    """/checklist: for the saved device, or ask which."""
    chat = update.effective_chat
    if chat is not None:
        await _send_checklist(context, chat.id, None)


async def checklist_button(update: Update, context: Context) -> None:
    query = query_of(update)
    with contextlib.suppress(BadRequest):
        await query.answer()
    await _send_checklist(context, query.from_user.id, checkup_data.platform_of(context))
