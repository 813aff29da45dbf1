"""The weekly card: who wants one (with their time and zone), and the per-week claim."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Connection, and_, bindparam, exists, func, select, update

from bot.storage.tables import TIP_SUBSCRIPTIONS, USER_PREFERENCES, USERS, WEEKLY_CARDS
from bot.storage.upsert import for_dialects

_P, _S, _U, _W = USER_PREFERENCES.c, TIP_SUBSCRIPTIONS.c, USERS.c, WEEKLY_CARDS.c


@dataclass(frozen=True, slots=True)
class CardReader:
    """Someone with the weekly card on: when their daily tip goes, and their last card's week."""

    user_id: int
    send_time: time | None
    timezone: str | None
    last_week: date | None
    discreet: bool


# ------------------------------------------------------------------ statements, built at import
_LAST_WEEK = select(func.max(_W.week_start)).where(_W.user_id == _P.user_id).scalar_subquery()
# Readers not already served this week in any zone (`served_from`: the latest Monday any
# zone can be in); the exact week is decided per zone in `bot.core.card`.
_CANDIDATES = (
    select(
        _P.user_id,
        _S.send_time,
        _U.timezone,
        _LAST_WEEK.label("last_week"),
        _P.discreet,
    )
    .select_from(USER_PREFERENCES)
    .join(USERS, USERS.c.id == _P.user_id)
    .outerjoin(TIP_SUBSCRIPTIONS, _S.user_id == _P.user_id)
    .where(
        _P.weekly_card.is_(True),
        _U.reachable.is_(True),
        ~exists().where(and_(_W.user_id == _P.user_id, _W.week_start >= bindparam("served_from"))),
    )
    .order_by(_P.user_id)
)


def _claim(insert: Any) -> Any:
    statement = insert(WEEKLY_CARDS).values(
        user_id=bindparam("user_id"),
        week_start=bindparam("week_start"),
        status=bindparam("status"),
        claimed_at=bindparam("now"),
    )
    # RETURNING rather than rowcount: psycopg reports -1 for an INSERT without it.
    return statement.on_conflict_do_nothing(index_elements=["user_id", "week_start"]).returning(
        WEEKLY_CARDS.c.user_id
    )


_CLAIM = for_dialects(_claim)
_FINISH = (
    update(WEEKLY_CARDS)
    .where(_W.user_id == bindparam("card_user"), _W.week_start == bindparam("card_week"))
    .values(status=bindparam("new_status"))
)


def candidates(connection: Connection, served_from: date) -> list[CardReader]:
    rows = connection.execute(_CANDIDATES, {"served_from": served_from})
    return [
        CardReader(row.user_id, row.send_time, row.timezone, row.last_week, bool(row.discreet))
        for row in rows
    ]


def claim(
    connection: Connection, user_id: int, week_start: date, status: str, now: datetime
) -> bool:
    """Claim the user's card for that week; False when it was claimed already."""
    params = {"user_id": user_id, "week_start": week_start, "status": status, "now": now}
    return connection.scalar(_CLAIM.of(connection), params) is not None


def finish(connection: Connection, user_id: int, week_start: date, status: str) -> None:
    connection.execute(
        _FINISH, {"card_user": user_id, "card_week": week_start, "new_status": status}
    )
