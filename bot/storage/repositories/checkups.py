"""The check-up's rows: a user's place in the course, and its delivery ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from bot.core.checkup import CheckupState
from bot.core.content import Platform
from bot.core.delivery import LedgerStatus
from bot.storage.tables import CHECKUP_DELIVERIES as LEDGER
from bot.storage.tables import CHECKUPS, TIP_SUBSCRIPTIONS, USERS
from bot.storage.upsert import InsertFactory, for_dialects

_GET = select(
    CHECKUPS.c.platform, CHECKUPS.c.day, CHECKUPS.c.last_day_on, CHECKUPS.c.finished_at
).where(CHECKUPS.c.user_id == bindparam("user_id"))


def _choose(insert: InsertFactory) -> Any:
    """Start at day 1, or keep the day and change only the platform."""
    statement = insert(CHECKUPS).values(
        user_id=bindparam("user_id"),
        platform=bindparam("platform"),
        day=1,
        last_day_on=bindparam("today"),
        started_at=bindparam("now"),
    )
    return statement.on_conflict_do_update(
        index_elements=["user_id"], set_={"platform": statement.excluded.platform}
    )


_CHOOSE = for_dialects(_choose)
# Conditional on the day the button showed: a second tap, or a tap on an old message, finds the
# day already moved and changes nothing.
_ADVANCE = (
    update(CHECKUPS)
    .where(
        CHECKUPS.c.user_id == bindparam("b_user_id"),
        CHECKUPS.c.day == bindparam("from_day"),
        CHECKUPS.c.finished_at.is_(None),
    )
    .values(day=bindparam("to_day"), last_day_on=bindparam("today"))
)
_FINISH = (
    update(CHECKUPS)
    .where(
        CHECKUPS.c.user_id == bindparam("b_user_id"),
        CHECKUPS.c.day == bindparam("from_day"),
        CHECKUPS.c.finished_at.is_(None),
    )
    .values(finished_at=bindparam("b_now"))
)
# Everyone the daily delivery might move on: unfinished, subscribed, reachable, not moved today.
# The zone decides "today", so the last filter is finished in Python.
_CANDIDATES = (
    select(
        CHECKUPS.c.user_id,
        CHECKUPS.c.platform,
        CHECKUPS.c.day,
        CHECKUPS.c.last_day_on,
        TIP_SUBSCRIPTIONS.c.send_time,
        USERS.c.timezone,
    )
    .join(TIP_SUBSCRIPTIONS, TIP_SUBSCRIPTIONS.c.user_id == CHECKUPS.c.user_id)
    .join(USERS, USERS.c.id == CHECKUPS.c.user_id)
    .where(
        CHECKUPS.c.finished_at.is_(None),
        CHECKUPS.c.last_day_on < bindparam("before"),
        TIP_SUBSCRIPTIONS.c.active,
        USERS.c.reachable,
    )
    .order_by(CHECKUPS.c.user_id)
)
_CLAIM = for_dialects(
    lambda insert: (
        insert(LEDGER)
        .values(
            user_id=bindparam("user_id"),
            local_date=bindparam("local_date"),
            day=bindparam("day"),
            status=LedgerStatus.CLAIMED,
            claimed_at=bindparam("now"),
        )
        .on_conflict_do_nothing(index_elements=["user_id", "local_date"])
        .returning(LEDGER.c.user_id)
    )
)
_RECORD = (
    update(LEDGER)
    .where(
        LEDGER.c.user_id == bindparam("b_user_id"),
        LEDGER.c.local_date == bindparam("b_local_date"),
        LEDGER.c.status == LedgerStatus.CLAIMED,
    )
    .values(status=bindparam("b_status"), finished_at=bindparam("b_now"))
)


@dataclass(frozen=True, slots=True)
class Candidate:
    user_id: int
    state: CheckupState
    send_time: time
    timezone: str | None


def get(connection: Connection, user_id: int) -> CheckupState | None:
    row = connection.execute(_GET, {"user_id": user_id}).first()
    if row is None:
        return None
    return CheckupState(
        Platform(row.platform), row.day, row.last_day_on, row.finished_at is not None
    )


def choose_platform(
    connection: Connection, user_id: int, platform: Platform, today: date, now: datetime
) -> None:
    params = {"user_id": user_id, "platform": platform.value, "today": today, "now": now}
    connection.execute(_CHOOSE.of(connection), params)


def advance(connection: Connection, user_id: int, from_day: int, today: date) -> bool:
    """Open the day after `from_day`; False if the user is no longer on `from_day`."""
    params = {"b_user_id": user_id, "from_day": from_day, "to_day": from_day + 1, "today": today}
    return connection.execute(_ADVANCE, params).rowcount == 1


def finish(connection: Connection, user_id: int, from_day: int, now: datetime) -> bool:
    params = {"b_user_id": user_id, "from_day": from_day, "b_now": now}
    return connection.execute(_FINISH, params).rowcount == 1


def candidates(connection: Connection, before: date) -> list[Candidate]:
    rows = connection.execute(_CANDIDATES, {"before": before})
    return [
        Candidate(
            row.user_id,
            CheckupState(Platform(row.platform), row.day, row.last_day_on, False),
            row.send_time,
            row.timezone,
        )
        for row in rows
    ]


def claim(connection: Connection, user_id: int, local_date: date, day: int, now: datetime) -> bool:
    """Claim today's check-up delivery; False if this user already has a row for the date."""
    params = {"user_id": user_id, "local_date": local_date, "day": day, "now": now}
    return connection.execute(_CLAIM.of(connection), params).first() is not None


def record(
    connection: Connection, results: list[tuple[int, date, LedgerStatus]], now: datetime
) -> None:
    if results:
        connection.execute(
            _RECORD,
            [
                {"b_user_id": u, "b_local_date": d, "b_status": s.value, "b_now": now}
                for u, d, s in results
            ],
        )
