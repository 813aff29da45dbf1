"""Explainers read and days active: the two facts behind "explainers read" and streaks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, bindparam, select

from bot.storage.tables import ACTIVE_DAYS, EXPLAINER_READS
from bot.storage.upsert import for_dialects

# ------------------------------------------------------------------ statements, built at import
_MARK_READ = for_dialects(
    lambda insert: (
        insert(EXPLAINER_READS)
        .values(
            user_id=bindparam("user_id"),
            explainer_id=bindparam("explainer_id"),
            read_at=bindparam("now"),
        )
        .on_conflict_do_nothing()
    )
)
_MARK_ACTIVE = for_dialects(
    lambda insert: (
        insert(ACTIVE_DAYS)
        .values(user_id=bindparam("user_id"), day=bindparam("day"))
        .on_conflict_do_nothing()
    )
)
_ACTIVE_DAYS = select(ACTIVE_DAYS.c.day).where(ACTIVE_DAYS.c.user_id == bindparam("user_id"))


def mark_read(connection: Connection, user_id: int, explainer_id: str, now: datetime) -> None:
    """Count an explainer as read once, however often its last page is shown."""
    connection.execute(
        _MARK_READ.of(connection), {"user_id": user_id, "explainer_id": explainer_id, "now": now}
    )


def mark_active(connection: Connection, user_id: int, day: date) -> None:
    connection.execute(_MARK_ACTIVE.of(connection), {"user_id": user_id, "day": day})


def active_days(connection: Connection, user_id: int) -> list[date]:
    return list(connection.scalars(_ACTIVE_DAYS, {"user_id": user_id}))
