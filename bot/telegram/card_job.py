"""The weekly card: a repeating job that sends each reader who asked one card a week.

Like the daily tips, nothing is scheduled per user: every `TIPS_CHECK_INTERVAL` seconds one
pass claims the cards due now (`bot.flows.card.claim_weekly_cards`: one ledger row per user and
week, inserted before the send), then sends the claimed ones. A claim is never sent twice: a
crash between claim and send loses that week's card rather than sending it again.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from telegram.error import Forbidden, TelegramError
from telegram.ext import ExtBot

from bot.core.discreet import WEEKLY_FIRST_LINE
from bot.flows.card import WeeklyCard, card_of, claim_weekly_cards, finish_weekly_card
from bot.flows.privacy import set_reachable
from bot.telegram.card_send import send_card
from bot.telegram.context import Context
from bot.telegram.jobs import repeat
from bot.telegram.rate_limiter import BULK
from bot.telegram.services import SERVICES_KEY, Services, get_services
from bot.telegram.views.card import WEEKLY_FIRST_LINE as PLAIN_FIRST_LINE

log = logging.getLogger(__name__)

JOB_NAME = "weekly-cards"


async def send_weekly_cards(context: Context) -> None:
    """The job."""
    sent = await send_weekly_with(get_services(context), context.bot)
    if sent:
        log.info("weekly cards: %d sent", sent)


async def send_weekly_with(services: Services, bot: ExtBot[Any]) -> int:
    """One pass: claim what is due, send it, record each outcome; how many went out."""
    now, default = services.clock(), services.settings.timezone
    cards = await services.database.run(lambda c: claim_weekly_cards(c, now, default))
    sent = 0
    for card in cards:
        ok = await _send(services, bot, card)
        await services.database.run(partial(finish_weekly_card, card=card, sent=ok))
        sent += ok
    return sent


async def _send(services: Services, bot: ExtBot[Any], card: WeeklyCard) -> bool:
    now, default = services.clock(), services.settings.timezone
    facts = await services.database.run(
        lambda c: card_of(c, services.content, user_id=card.user_id, now=now, default_zone=default)
    )
    first_line = WEEKLY_FIRST_LINE if card.discreet else PLAIN_FIRST_LINE
    try:
        await send_card(
            bot,
            card.user_id,
            facts,
            first_line=first_line,
            discreet=card.discreet,
            rate_limit_args=BULK,
        )
    except Forbidden:
        await services.database.run(lambda c: set_reachable(c, card.user_id, False))
        return False
    except TelegramError as error:
        log.warning("weekly card not sent: %s", type(error).__name__)
        return False
    return True


def schedule_weekly_cards(application: Any) -> None:
    """Start the repeating job (called from the application's post_init)."""
    services: Services = application.bot_data[SERVICES_KEY]
    interval = services.settings.tips_check_interval
    repeat(
        application,
        send_weekly_cards,
        name=JOB_NAME,
        interval=interval,
        first=1.0,
        misfire_grace=interval,
    )
