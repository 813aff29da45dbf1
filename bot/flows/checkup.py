"""The check-up's transactions: choose a platform, show the open day, move on, daily delivery."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from bot.core import local_time
from bot.core.actions import ActionKind, ActionRef, ActionStatus
from bot.core.checkup import (
    CheckupFinished,
    CheckupProgress,
    CheckupState,
    DayView,
    moves_on_today,
)
from bot.core.content import ContentBank, Platform
from bot.core.delivery import LedgerStatus
from bot.storage.repositories import actions, checkups, users


@dataclass(frozen=True, slots=True)
class DayClaim:
    """A check-up day the daily delivery claimed for one user's local date."""

    user_id: int
    local_date: date
    view: DayView


def _today(connection: Connection, user_id: int, now: datetime, zone: ZoneInfo) -> date:
    stored = users.timezone_of(connection, user_id)
    return local_time.local_date(local_time.zone_of(stored, zone), now)


def _view(
    connection: Connection, bank: ContentBank, user_id: int, state: CheckupState
) -> DayView | None:
    day = bank.checkup_day(state.day)
    action = day.action_for(state.platform) if day else None
    if day is None or action is None:
        return None
    key = ActionRef(ActionKind.CHECKUP, action.id).key
    status = actions.statuses(connection, user_id).get(key)
    return DayView(day, action, state.platform, len(bank.checkup), status)


def current(
    connection: Connection, bank: ContentBank, user_id: int
) -> DayView | CheckupFinished | None:
    """The day the user is on (resuming after any pause), or None: ask for the platform."""
    state = checkups.get(connection, user_id)
    if state is None:
        return None
    if state.finished:
        return _finished(connection, bank, user_id, state.platform)
    return _view(connection, bank, user_id, state)


def choose_platform(
    connection: Connection,
    bank: ContentBank,
    user_id: int,
    platform: Platform,
    now: datetime,
    default_zone: ZoneInfo,
) -> DayView | CheckupFinished | None:
    """Store the platform (starting at day 1 the first time) and return the open day."""
    users.touch(connection, user_id, now)
    today = _today(connection, user_id, now, default_zone)
    checkups.choose_platform(connection, user_id, platform, today, now)
    return current(connection, bank, user_id)


def next_day(
    connection: Connection,
    bank: ContentBank,
    user_id: int,
    from_day: int,
    now: datetime,
    default_zone: ZoneInfo,
) -> DayView | CheckupFinished | None:
    """ "Next day now" pressed on day `from_day`; None if that button is out of date."""
    state = checkups.get(connection, user_id)
    if state is None or state.finished or state.day != from_day:
        return None
    if from_day >= len(bank.checkup):
        checkups.finish(connection, user_id, from_day, now)
        return _finished(connection, bank, user_id, state.platform)
    today = _today(connection, user_id, now, default_zone)
    if not checkups.advance(connection, user_id, from_day, today):
        return None
    return current(connection, bank, user_id)


def _finished(
    connection: Connection, bank: ContentBank, user_id: int, platform: Platform
) -> CheckupFinished:
    statuses = actions.statuses(connection, user_id)
    keys = [
        ActionRef(ActionKind.CHECKUP, a.id).key
        for d in bank.checkup
        if (a := d.action_for(platform)) is not None
    ]
    done = sum(1 for key in keys if statuses.get(key) is ActionStatus.DONE)
    return CheckupFinished(done, len(keys))


def checkup_progress(
    connection: Connection, bank: ContentBank, user_id: int
) -> CheckupProgress | None:
    """Day N of 7 and actions done, for /progress; None if the user never started."""
    state = checkups.get(connection, user_id)
    if state is None:
        return None
    summary = _finished(connection, bank, user_id, state.platform)
    return CheckupProgress(state.day, len(bank.checkup), summary.done, state.finished)


def claim_due_days(
    connection: Connection, bank: ContentBank, now: datetime, default_zone: ZoneInfo
) -> list[DayClaim]:
    """Open the next day for every subscriber whose daily-tip time has come today.

    The ledger row (user, local date) is claimed first, so a second pass, a restart or a second
    process finds it and sends nothing; the day moves on in the same transaction.
    """
    claims: list[DayClaim] = []
    total = len(bank.checkup)
    for candidate in checkups.candidates(connection, (now + timedelta(days=1)).date()):
        zone = local_time.zone_of(candidate.timezone, default_zone)
        today = local_time.local_date(zone, now)
        if not moves_on_today(candidate.state, today, total):
            continue
        if local_time.send_instant(today, candidate.send_time, zone) > now:
            continue
        day = candidate.state.day + 1
        if not checkups.claim(connection, candidate.user_id, today, day, now):
            continue
        if not checkups.advance(connection, candidate.user_id, candidate.state.day, today):
            continue
        state = CheckupState(candidate.state.platform, day, today, False)
        view = _view(connection, bank, candidate.user_id, state)
        if view is not None:
            claims.append(DayClaim(candidate.user_id, today, view))
    return claims


def record_days(
    connection: Connection, results: Sequence[tuple[DayClaim, LedgerStatus]], now: datetime
) -> None:
    checkups.record(connection, [(c.user_id, c.local_date, s) for c, s in results], now)
    for claim, status in results:
        if status is LedgerStatus.BLOCKED:
            users.set_reachable(connection, claim.user_id, False)
