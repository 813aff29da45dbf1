"""The one repeating job that delivers daily tips, and the TipSender over `bot.send_message`.

Tips go out as bulk sends (`rate_limit_args=BULK`): the bot's `ChatRateLimiter` paces them
behind replies and owns 429s, on the job's bot and the CLI's alike.

Nothing is scheduled per user: every `TIPS_CHECK_INTERVAL` seconds one pass asks the database
who is due (`bot.core.delivery`). A restart rebuilds nothing and forgets nothing. APScheduler
options: a late run still runs (`misfire_grace_time`), missed runs collapse into one
(`coalesce`), and a long pass is never overlapped by the next (`max_instances=1`).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
from telegram import LinkPreviewOptions
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import ExtBot

from bot.core.actions import ActionText
from bot.core.checkup import DayView
from bot.core.content import Tip
from bot.core.delivery import DeliveryPolicy, PassReport, SendOutcome, SendStatus
from bot.core.discreet import DAILY_FIRST_LINE, Preferences
from bot.delivery.daily_pass import run_pass
from bot.delivery.followups import run_followups
from bot.flows.discreet import discreet_users
from bot.telegram import lean_send
from bot.telegram.context import Context
from bot.telegram.deletion_job import remember_for
from bot.telegram.jobs import repeat
from bot.telegram.rate_limiter import BULK, bulk_rate_of, retry_after_seconds
from bot.telegram.services import SERVICES_KEY, Services, get_services
from bot.telegram.views import checkup as checkup_views
from bot.telegram.views import tips as tip_views

log = logging.getLogger(__name__)

JOB_NAME = "daily-tips"


class DiscreetReaders:
    """Who is in discreet mode, read once per pass (the few who are, not everyone due), and
    where their tips are remembered for deletion."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._known: dict[int, Preferences] | None = None
        self._lock = asyncio.Lock()

    async def choices_of(self, user_id: int) -> Preferences | None:
        """The user's choices when they are discreet, None otherwise."""
        async with self._lock:
            if self._known is None:
                self._known = await self.services.database.run(discreet_users)
        return self._known.get(user_id)

    async def sent(self, user_id: int, choices: Preferences, message_id: int) -> None:
        """A discreet tip went out: it deletes itself if the user chose that. A failure here
        is logged, never turned into a failed send: the tip did arrive."""
        try:
            await remember_for(self.services, user_id, choices, message_id)
        except Exception:
            log.exception("could not schedule a daily tip's deletion")


class TelegramTipSender:
    """Sends a daily tip and maps Telegram's errors to core outcomes (never raises for them).

    To a discreet reader the tip goes silently, unforwardable, under a neutral first line.
    """

    def __init__(
        self,
        bot: ExtBot[Any],
        *,
        paid_broadcast: bool = False,
        discreet: DiscreetReaders | None = None,
    ) -> None:
        self.bot = bot
        self.paid_broadcast = paid_broadcast
        self.discreet = discreet

    async def send_tip(self, user_id: int, tip: Tip) -> SendOutcome:
        choices = await self.discreet.choices_of(user_id) if self.discreet else None
        first_line = DAILY_FIRST_LINE if choices is not None else tip_views.DAILY_FIRST_LINE
        text, keyboard = tip_views.daily_tip_message(tip, first_line)
        outcome = await self._outcome(self._send(user_id, text, keyboard, choices))
        if choices is not None and self.discreet and outcome.message_id is not None:
            await self.discreet.sent(user_id, choices, outcome.message_id)
        return outcome

    async def send_reminder(self, user_id: int, action: ActionText) -> SendOutcome:
        text, keyboard = checkup_views.reminder_message(action)
        choices = await self.discreet.choices_of(user_id) if self.discreet else None
        return await self._outcome(self._send(user_id, text, keyboard, choices))

    async def send_day(self, user_id: int, view: DayView) -> SendOutcome:
        """The check-up day's message decides the outcome; its polls follow, best effort."""
        text, keyboard = checkup_views.day_message(view)
        choices = await self.discreet.choices_of(user_id) if self.discreet else None
        outcome = await self._outcome(self._send(user_id, text, keyboard, choices))
        if outcome.status is SendStatus.SENT:
            for q in view.day.check:
                try:
                    await lean_send.send_quiz_poll(
                        self.bot, user_id, q.question, q.options, q.correct, q.explanation
                    )
                except TelegramError as error:
                    log.warning("check-up poll not sent: %s", type(error).__name__)
        return outcome

    def _send(self, user_id: int, text: str, keyboard: Any, choices: Preferences | None) -> Any:
        """A scheduled message: to a discreet reader silent and unforwardable."""
        quiet = choices is not None
        return self.bot.send_message(
            user_id,
            text,
            reply_markup=keyboard,
            parse_mode="HTML",
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            allow_paid_broadcast=True if self.paid_broadcast else None,
            disable_notification=True if quiet else None,
            protect_content=True if quiet else None,
            rate_limit_args=BULK,
        )

    async def _outcome(self, sending: Any) -> SendOutcome:
        """Map Telegram's errors to core outcomes (never raises for them)."""
        try:
            message = await sending
        except RetryAfter as error:
            return SendOutcome(SendStatus.RETRY_AFTER, retry_after=retry_after_seconds(error))
        except Forbidden:
            return SendOutcome(SendStatus.BLOCKED)
        except TimedOut as error:  # before NetworkError, its base class
            return SendOutcome(_unsent_or_in_doubt(error))
        except BadRequest as error:  # before NetworkError, its base class
            log.warning("daily tip rejected by Telegram: %s", error.message)
            return SendOutcome(SendStatus.REJECTED)
        except NetworkError as error:
            return SendOutcome(_unsent_or_in_doubt(error))
        except TelegramError as error:
            log.warning("daily tip failed: %s", type(error).__name__)
            return SendOutcome(SendStatus.REJECTED)
        return SendOutcome(SendStatus.SENT, message_id=message.message_id)


def _unsent_or_in_doubt(error: NetworkError) -> SendStatus:
    """Safe to retry only when the request provably never left: no connection was made, or
    the pool had no free connection. A read timeout, a dropped connection or a 502 may come
    after Telegram delivered the message, so those are "in doubt" and never resent."""
    if isinstance(error.__cause__, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)):
        return SendStatus.NETWORK_ERROR
    return SendStatus.TIMED_OUT


def policy_for(services: Services) -> DeliveryPolicy:
    """Batches and sends in flight sized for the pace the rate limiter will give daily tips."""
    return DeliveryPolicy(rate_limit=bulk_rate_of(services.settings))


async def deliver_due_tips(context: Context) -> None:
    """The job: one pass over everyone due now."""
    services = get_services(context)
    report = await deliver_with(services, context.bot)
    if report.attempted or report.skipped:
        log.info("daily tips: %s", report.summary())
    followups = await run_followups(
        services.database,
        services.content,
        TelegramTipSender(
            context.bot,
            paid_broadcast=services.settings.tips_paid_broadcast,
            discreet=DiscreetReaders(services),
        ),
        clock=services.clock,
        default_zone=services.settings.timezone,
    )
    if followups.days or followups.reminders:
        log.info("check-up days sent %d, reminders sent %d", followups.days, followups.reminders)


async def deliver_with(
    services: Services, bot: ExtBot[Any], policy: DeliveryPolicy | None = None
) -> PassReport:
    """One pass with a given bot (the job's, or the CLI's own: both carry `ChatRateLimiter`)."""
    paid = services.settings.tips_paid_broadcast
    return await run_pass(
        services.database,
        services.content,
        TelegramTipSender(bot, paid_broadcast=paid, discreet=DiscreetReaders(services)),
        clock=services.clock,
        default_zone=services.settings.timezone,
        policy=policy or policy_for(services),
    )


def schedule_daily_tips(application: Any) -> None:
    """Start the repeating job (called from the application's post_init)."""
    services: Services = application.bot_data[SERVICES_KEY]
    interval = services.settings.tips_check_interval
    repeat(
        application,
        deliver_due_tips,
        name=JOB_NAME,
        interval=interval,
        first=1.0,  # catch up soon after a restart
        misfire_grace=interval,
    )
