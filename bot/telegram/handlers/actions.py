"""The three buttons under a tip or a check-up step: done, not for me, remind me in 3 days."""

from __future__ import annotations

import contextlib

from telegram import Update
from telegram.error import BadRequest

from bot.flows.actions import mark
from bot.telegram.callbacks import actions as action_data
from bot.telegram.context import Context, answer_stale, query_of
from bot.telegram.services import get_services
from bot.telegram.views import checkup as views


async def action_button(update: Update, context: Context) -> None:
    """Record the answer and tick the chosen button; an action the bank lacks is stale."""
    services = get_services(context)
    query = query_of(update)
    verb, ref = action_data.parse(context)
    now = services.clock()
    zone = services.settings.timezone
    status = await services.database.run(
        lambda s: mark(s, services.content, query.from_user.id, ref, verb, now, zone)
    )
    if status is None:
        await answer_stale(query)
        return
    await query.answer(views.CONFIRMATIONS[status])
    message = query.message
    if message is not None and hasattr(message, "reply_markup"):
        with contextlib.suppress(BadRequest):  # "message is not modified" on a repeat tap
            await query.edit_message_reply_markup(
                views.with_status(message.reply_markup, ref, status)
            )
