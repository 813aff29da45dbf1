"""The one repeating job that delivers daily tips, and the TipSender over `bot.send_message`.

Tips go out as bulk sends (`rate_limit_args=BULK`): the bot's `ChatRateLimiter` paces them
behind replies and owns 429s, on the job's bot and the CLI's alike.

Nothing is scheduled per user: every `TIPS_CHECK_INTERVAL` seconds one pass asks the database
who is due (`bot.core.delivery`). A restart rebuilds nothing and forgets nothing. APScheduler
options: a late run still runs (`misfire_grace_time`), missed runs collapse into one
(`coalesce`), and a long pass is never overlapped by the next (`max_instances=1`).
"""

from __future__ import annotations

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
from bot.delivery.daily_pass import run_pass
from bot.delivery.followups import run_followups
from bot.telegram import lean_send
from bot.telegram.context import Context
from bot.telegram.rate_limiter import BULK, bulk_rate_of, retry_after_seconds
from bot.telegram.services import SERVICES_KEY, Services, get_services
from bot.telegram.views import checkup as checkup_views
from bot.telegram.views import tips as tip_views

log = logging.getLogger(__name__)

JOB_NAME = "daily-tips"


class TelegramTipSender:
    """Sends a daily tip and maps Telegram's errors to core outcomes (never raises for them)."""

    def __init__(self, bot: ExtBot[Any], *, paid_broadcast: bool = False) -> None:
        self.bot = bot
        self.paid_broadcast = paid_broadcast

    async def send_tip(self, user_id: int, tip: Tip) -> SendOutcome:
        text, keyboard = tip_views.daily_tip_message(tip)
        return await self._outcome(self._send(user_id, text, keyboard))

    async def send_reminder(self, user_id: int, action: ActionText) -> SendOutcome:
        text, keyboard = checkup_views.reminder_message(action)
        return await self._outcome(self._send(user_id, text, keyboard))

    async def send_day(self, user_id: int, view: DayView) -> SendOutcome:
        """The check-up day's message decides the outcome; its polls follow, best effort."""
        text, keyboard = checkup_views.day_message(view)
        outcome = await self._outcome(self._send(user_id, text, keyboard))
        if outcome.status is SendStatus.SENT:
            for q in view.day.check:
                try:
                    await lean_send.send_quiz_poll(
                        self.bot, user_id, q.question, q.options, q.correct, q.explanation
                    )
                except TelegramError as error:
                    log.warning("check-up poll not sent: %s", type(error).__name__)
        return outcome

    def _send(self, user_id: int, text: str, keyboard: Any) -> Any:
        return self.bot.send_message(
            user_id,
            text,
            reply_markup=keyboard,
            parse_mode="HTML",
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            allow_paid_broadcast=True if self.paid_broadcast else None,
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
        TelegramTipSender(context.bot, paid_broadcast=services.settings.tips_paid_broadcast),
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
        TelegramTipSender(bot, paid_broadcast=paid),
        clock=services.clock,
        default_zone=services.settings.timezone,
        policy=policy or policy_for(services),
    )


def schedule_daily_tips(application: Any) -> None:
    """Start the repeating job (called from the application's post_init)."""
    services: Services = application.bot_data[SERVICES_KEY]
    interval = services.settings.tips_check_interval
    if application.job_queue is None:
        raise RuntimeError("daily tips need the job queue: install python-telegram-bot[job-queue]")
    for old in application.job_queue.get_jobs_by_name(JOB_NAME):
        old.schedule_removal()
    application.job_queue.run_repeating(
        deliver_due_tips,
        interval=interval,
        first=1.0,  # catch up soon after a restart
        name=JOB_NAME,
        job_kwargs={"misfire_grace_time": int(interval), "coalesce": True, "max_instances": 1},
    )
