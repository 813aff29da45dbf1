"""Ticking actions off: done, not for me, remind me in 3 days; /checklist; due reminders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from bot.core import local_time
from bot.core.actions import (
    ActionRef,
    ActionStatus,
    ActionText,
    Checklist,
    ReminderStatus,
    Verb,
    action_text,
    build_checklist,
    reminder_due,
    status_after,
)
from bot.core.content import ContentBank, Platform
from bot.storage.repositories import actions, checkups, subscriptions, users
from bot.storage.repositories.actions import DueReminder


def mark(
    connection: Connection,
    bank: ContentBank,
    user_id: int,
    ref: ActionRef,
    verb: Verb,
    now: datetime,
    default_zone: ZoneInfo,
) -> ActionStatus | None:
    """Record the user's answer; None if the bank has no such action (a stale button)."""
    if action_text(bank, ref) is None:
        return None
    users.touch(connection, user_id, now)
    status = status_after(verb)
    actions.set_status(connection, user_id, ref.key, status, now)
    if verb is Verb.REMIND:
        subscription = subscriptions.get(connection, user_id)
        stored = users.timezone_of(connection, user_id)
        zone = local_time.zone_of(stored, default_zone)
        send_time = subscription.send_time if subscription and subscription.active else None
        actions.remind(connection, user_id, ref.key, reminder_due(now, zone, send_time))
    else:
        actions.cancel_reminder(connection, user_id, ref.key)
    return status


def saved_platform(connection: Connection, user_id: int) -> Platform | None:
    state = checkups.get(connection, user_id)
    return state.platform if state else None


def checklist(
    connection: Connection, bank: ContentBank, user_id: int, platform: Platform | None
) -> Checklist | None:
    """/checklist for `platform` (the saved one when None); None: ask which platform."""
    chosen = platform or saved_platform(connection, user_id)
    if chosen is None:
        return None
    return build_checklist(bank, chosen, actions.statuses(connection, user_id))


def claim_due_reminders(
    connection: Connection, bank: ContentBank, now: datetime, lease: timedelta, limit: int
) -> tuple[list[tuple[DueReminder, ActionText]], list[DueReminder]]:
    """Resolve a dead pass's claims, then claim due reminders: (to send, gone from the bank)."""
    actions.resolve_orphans(connection, now - lease, now)
    to_send: list[tuple[DueReminder, ActionText]] = []
    gone: list[DueReminder] = []
    for due in actions.claim_due(connection, now, limit):
        ref = ActionRef.from_key(due.action_id)
        text = action_text(bank, ref) if ref else None
        if text is None:
            gone.append(due)
        else:
            to_send.append((due, text))
    actions.record(connection, [(g, ReminderStatus.FAILED) for g in gone], now)
    return to_send, gone


def record_reminders(
    connection: Connection,
    results: Sequence[tuple[DueReminder, ReminderStatus]],
    now: datetime,
    blocked: Sequence[int] = (),
) -> None:
    actions.record(connection, results, now)
    for user_id in blocked:
        users.set_reachable(connection, user_id, False)
