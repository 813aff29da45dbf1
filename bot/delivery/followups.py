"""After the daily tips: the next check-up day and due "remind me" reminders, each exactly once.

Both are claimed before they are sent, like the tip ledger: a check-up day by an INSERT on
(user, local date) in `checkup_deliveries`, a reminder by moving its row from pending to
claimed. A second pass, a restart or a second process finds the claim and sends nothing. A
reminder that fell due while the bot was down is still pending, so the next pass sends it once.
The check-up day goes right after the tip, in the same job run, so it arrives at the user's
daily-tip time and the tip ledger (and its guarantees) stay as they are.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from bot.core.actions import ActionText, ReminderStatus
from bot.core.checkup import DayView
from bot.core.content import ContentBank
from bot.core.delivery import LedgerStatus, SendOutcome, SendStatus
from bot.flows.actions import claim_due_reminders, record_reminders
from bot.flows.checkup import claim_due_days, record_days
from bot.storage.database import Database
from bot.storage.repositories.actions import DueReminder

log = logging.getLogger(__name__)

REMINDER_LEASE = timedelta(minutes=10)
REMINDERS_PER_BATCH = 50


class FollowupSender(Protocol):
    async def send_day(self, user_id: int, view: DayView) -> SendOutcome: ...

    async def send_reminder(self, user_id: int, action: ActionText) -> SendOutcome: ...


@dataclass
class FollowupReport:
    days: int = 0
    reminders: int = 0


_LEDGER = {
    SendStatus.SENT: LedgerStatus.SENT,
    SendStatus.BLOCKED: LedgerStatus.BLOCKED,
    SendStatus.TIMED_OUT: LedgerStatus.IN_DOUBT,
}
_REMINDER = {
    SendStatus.SENT: ReminderStatus.SENT,
    SendStatus.TIMED_OUT: ReminderStatus.IN_DOUBT,
}


async def _safely(sending: Awaitable[SendOutcome]) -> SendOutcome:
    """Anything unexpected counts as in doubt: "maybe sent" must never become "sent twice"."""
    try:
        return await sending
    except Exception:
        log.exception("follow-up send failed unexpectedly; treating it as in doubt")
        return SendOutcome(SendStatus.TIMED_OUT)


def _claim_reminders(
    bank: ContentBank, now: datetime
) -> Callable[[Connection], tuple[list[tuple[DueReminder, ActionText]], list[DueReminder]]]:
    return lambda s: claim_due_reminders(s, bank, now, REMINDER_LEASE, REMINDERS_PER_BATCH)


def _record_reminders(
    results: list[tuple[DueReminder, ReminderStatus]], now: datetime, blocked: list[int]
) -> Callable[[Connection], None]:
    return lambda s: record_reminders(s, results, now, blocked)


async def run_followups(
    database: Database,
    bank: ContentBank,
    sender: FollowupSender,
    *,
    clock: Callable[[], datetime],
    default_zone: ZoneInfo,
) -> FollowupReport:
    """One pass: claim and send due check-up days, then due reminders."""
    report = FollowupReport()
    now = clock()
    days = await database.run(lambda s: claim_due_days(s, bank, now, default_zone))
    day_results = []
    for claim in days:
        outcome = await _safely(sender.send_day(claim.user_id, claim.view))
        status = _LEDGER.get(outcome.status, LedgerStatus.FAILED)
        day_results.append((claim, status))
        report.days += status is LedgerStatus.SENT
    if day_results:
        await database.run(lambda s: record_days(s, day_results, clock()))
    while True:
        now = clock()
        to_send, _gone = await database.run(_claim_reminders(bank, now))
        if not to_send:
            break
        results: list[tuple[DueReminder, ReminderStatus]] = []
        blocked: list[int] = []
        for due, action in to_send:
            outcome = await _safely(sender.send_reminder(due.user_id, action))
            results.append((due, _REMINDER.get(outcome.status, ReminderStatus.FAILED)))
            if outcome.status is SendStatus.BLOCKED:
                blocked.append(due.user_id)
            report.reminders += outcome.status is SendStatus.SENT
        await database.run(_record_reminders(results, clock(), blocked))
        if len(to_send) < REMINDERS_PER_BATCH:
            break
    return report
