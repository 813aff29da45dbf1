"""Every plain text message: the answer to a pending question (a time or a zone), or the
fallback's reply.

The pending question lives in the database (`bot.flows.tip_settings.pending`), so a question
asked before a restart is still answered after it.
"""

from __future__ import annotations

from telegram import Update

from bot.core import local_time
from bot.core.records import PromptFlow
from bot.flows import tip_settings
from bot.flows.tip_settings import AWAIT_TIME
from bot.telegram.context import Context
from bot.telegram.handlers import fallback
from bot.telegram.handlers.daily_tip_changes import bad_time, reply, set_time, set_zone
from bot.telegram.services import Services, get_services
from bot.telegram.views import daily_settings as views


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
        await reply(update, context, bad_time(text, error))  # still waiting for a time
        return
    await set_time(update, context, services, send_time, flow)


async def _typed_zone(update: Update, context: Context, services: Services, text: str) -> None:
    """An exact IANA name is taken as typed; a city or region offers its matches to pick."""
    exact = local_time.canonical_zone(text)
    if exact is not None:
        await set_zone(update, context, services, exact)
        return
    matches = local_time.search_zones(text)
    if matches:
        await reply(update, context, *views.zone_choices(text, matches, services.clock()))
    else:
        await reply(update, context, views.no_zone_found(text))  # still waiting for a zone
