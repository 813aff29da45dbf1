"""The check-up and action flows on SQLite and PostgreSQL: resumable, once per day, once only."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.contentbank.loader import load_content
from bot.core.actions import ActionRef, ActionStatus, ReminderStatus, Verb
from bot.core.checkup import DayView
from bot.core.content import Platform
from bot.flows import actions as action_flows
from bot.flows import checkup as flows
from bot.flows import subscriptions as daily_tips
from bot.storage.database import Database
from bot.storage.repositories import checkups
from tests.conftest import CONTENT_DIR

UTC_ZONE = ZoneInfo("UTC")
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
BANK = load_content(CONTENT_DIR)
USER = 7


def test_a_second_next_day_tap_changes_nothing(database: Database) -> None:
    database.run_sync(lambda s: flows.choose_platform(s, BANK, USER, Platform.WEB, NOW, UTC_ZONE))
    moved = database.run_sync(lambda s: flows.next_day(s, BANK, USER, 1, NOW, UTC_ZONE))
    assert isinstance(moved, DayView)
    assert moved.day.day == 2
    assert database.run_sync(lambda s: flows.next_day(s, BANK, USER, 1, NOW, UTC_ZONE)) is None
    progress = database.run_sync(lambda s: flows.checkup_progress(s, BANK, USER))
    assert progress is not None
    assert progress.day == 2


def test_changing_the_platform_keeps_the_day(database: Database) -> None:
    database.run_sync(lambda s: flows.choose_platform(s, BANK, USER, Platform.WEB, NOW, UTC_ZONE))
    database.run_sync(lambda s: flows.next_day(s, BANK, USER, 1, NOW, UTC_ZONE))
    shown = database.run_sync(
        lambda s: flows.choose_platform(s, BANK, USER, Platform.IOS, NOW, UTC_ZONE)
    )
    assert isinstance(shown, DayView)
    assert (shown.day.day, shown.action.id) == (2, "checkup-perms-ios")


def test_the_daily_delivery_claims_a_day_once_per_local_date(database: Database) -> None:
    database.run_sync(lambda s: daily_tips.subscribe(s, USER, time(8), NOW, UTC_ZONE))
    database.run_sync(
        lambda s: flows.choose_platform(s, BANK, USER, Platform.ANDROID, NOW, UTC_ZONE)
    )
    tomorrow = NOW + timedelta(days=1)
    first = database.run_sync(lambda s: flows.claim_due_days(s, BANK, tomorrow, UTC_ZONE))
    again = database.run_sync(lambda s: flows.claim_due_days(s, BANK, tomorrow, UTC_ZONE))
    assert [c.view.day.day for c in first] == [2]
    assert again == []


def test_a_reminder_is_claimed_once_and_done_cancels_it(database: Database) -> None:
    tip = ActionRef.of_tip(BANK.tips[0].id)
    step = ActionRef.of_checkup("checkup-lock-ios")
    database.run_sync(lambda s: action_flows.mark(s, BANK, USER, tip, Verb.REMIND, NOW, UTC_ZONE))
    database.run_sync(lambda s: action_flows.mark(s, BANK, USER, step, Verb.REMIND, NOW, UTC_ZONE))
    database.run_sync(lambda s: action_flows.mark(s, BANK, USER, step, Verb.DONE, NOW, UTC_ZONE))
    later = NOW + timedelta(days=4)
    lease = timedelta(minutes=10)
    to_send, _ = database.run_sync(
        lambda s: action_flows.claim_due_reminders(s, BANK, later, lease, 10)
    )
    assert [a.ref for _, a in to_send] == [tip]
    database.run_sync(
        lambda s: action_flows.record_reminders(
            s, [(d, ReminderStatus.SENT) for d, _ in to_send], later
        )
    )
    again, _ = database.run_sync(
        lambda s: action_flows.claim_due_reminders(s, BANK, later, lease, 10)
    )
    assert again == []
    checklist = database.run_sync(lambda s: action_flows.checklist(s, BANK, USER, Platform.IOS))
    assert checklist is not None
    assert [e.status for e in checklist.done] == [ActionStatus.DONE]


def test_a_ledger_row_for_the_date_means_another_pass_has_the_day(database: Database) -> None:
    database.run_sync(lambda s: daily_tips.subscribe(s, USER, time(8), NOW, UTC_ZONE))
    database.run_sync(
        lambda s: flows.choose_platform(s, BANK, USER, Platform.ANDROID, NOW, UTC_ZONE)
    )
    tomorrow = NOW + timedelta(days=1)
    database.run_sync(lambda s: checkups.claim(s, USER, tomorrow.date(), 2, tomorrow))
    assert database.run_sync(lambda s: flows.claim_due_days(s, BANK, tomorrow, UTC_ZONE)) == []
    progress = database.run_sync(lambda s: flows.checkup_progress(s, BANK, USER))
    assert progress is not None
    assert progress.day == 1
