"""The check-up's and the action buttons' pure rules: reminder times, pacing, checklist groups."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.contentbank.loader import load_content
from bot.core.actions import ActionKind, ActionRef, ActionStatus, build_checklist, reminder_due
from bot.core.checkup import CheckupState, moves_on_today
from bot.core.content import Platform
from tests.conftest import CONTENT_DIR

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_reminder_falls_three_local_days_later_at_the_daily_tip_time() -> None:
    now = datetime(2026, 3, 26, 23, 30, tzinfo=UTC)  # already the 27th in Berlin
    due = reminder_due(now, BERLIN, time(8, 30))
    assert due.astimezone(BERLIN).replace(tzinfo=None) == datetime(2026, 3, 30, 8, 30)


def test_without_a_daily_tip_time_a_reminder_comes_at_nine_in_the_users_zone() -> None:
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    due = reminder_due(now, BERLIN, None)
    assert due.astimezone(BERLIN).replace(tzinfo=None) == datetime(2026, 3, 13, 9, 0)


def test_the_daily_delivery_moves_on_once_a_day_and_stops_at_the_last_day() -> None:
    today = date(2026, 3, 10)
    state = CheckupState(Platform.IOS, 3, today, finished=False)
    assert not moves_on_today(state, today, 7)
    assert moves_on_today(state, date(2026, 3, 11), 7)
    assert not moves_on_today(CheckupState(Platform.IOS, 7, today, False), date(2026, 3, 12), 7)
    assert not moves_on_today(CheckupState(Platform.IOS, 2, today, True), date(2026, 3, 12), 7)


def test_action_keys_round_trip() -> None:
    ref = ActionRef(ActionKind.TIP, "cctv-tip01")
    assert ref.key == "tip:cctv-tip01"
    assert ActionRef.from_key(ref.key) == ref
    assert ActionRef.from_key("nonsense") is None


def test_the_checklist_groups_the_platforms_actions_and_answered_tips() -> None:
    bank = load_content(CONTENT_DIR)
    tip = next(t for t in bank.tips if Platform.IOS in t.platforms)
    android_only = next(t for t in bank.tips if t.platforms == (Platform.ANDROID,))
    statuses = {
        "checkup:checkup-lock-ios": ActionStatus.DONE,
        "checkup:checkup-perms-ios": ActionStatus.DISMISSED,
        "checkup:checkup-history-ios": ActionStatus.SNOOZED,
        f"tip:{tip.id}": ActionStatus.DONE,
        f"tip:{android_only.id}": ActionStatus.DONE,
    }
    checklist = build_checklist(bank, Platform.IOS, statuses)
    assert [e.ref.item_id for e in checklist.done] == ["checkup-lock-ios", tip.id]
    assert [e.ref.item_id for e in checklist.dismissed] == ["checkup-perms-ios"]
    assert len(checklist.left) == 5  # days 3 (snoozed) to 7
    assert checklist.left[0].status is ActionStatus.SNOOZED
    assert checklist.left[2].ref.item_id == "checkup-disappear-any"  # an `any` action counts
