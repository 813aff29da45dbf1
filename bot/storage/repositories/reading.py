"""Explainers read and days active: the two facts behind "explainers read" and streaks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select

from bot.storage.models import ActiveDay, ExplainerRead
from bot.storage.models.base import table_of
from bot.storage.upsert import prebuilt_upsert

READS = table_of(ExplainerRead)
DAYS = table_of(ActiveDay)
_ACTIVE_DAYS = select(DAYS.c.day).where(DAYS.c.user_id == bindparam("user_id"))


def _mark_read(insert: Any) -> Any:
    statement = insert(READS).values(
        user_id=bindparam("user_id"),
        explainer_id=bindparam("explainer_id"),
        read_at=bindparam("now"),
    )
    return statement.on_conflict_do_nothing()


def _mark_active(insert: Any) -> Any:
    statement = insert(DAYS).values(user_id=bindparam("user_id"), day=bindparam("day"))
    return statement.on_conflict_do_nothing()


def mark_read(connection: Connection, user_id: int, explainer_id: str, now: datetime) -> None:
    """Count an explainer as read once, however often its last page is shown."""
    connection.execute(
        prebuilt_upsert(connection, "reading.mark_read", _mark_read),
        {"user_id": user_id, "explainer_id": explainer_id, "now": now},
    )


def mark_active(connection: Connection, user_id: int, day: date) -> None:
    connection.execute(
        prebuilt_upsert(connection, "reading.mark_active", _mark_active),
        {"user_id": user_id, "day": day},
    )


def active_days(connection: Connection, user_id: int) -> list[date]:
    return list(connection.scalars(_ACTIVE_DAYS, {"user_id": user_id}))
