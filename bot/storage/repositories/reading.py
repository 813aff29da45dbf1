"""Explainers read and days active: the two facts behind "explainers read" and streaks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot.storage.models import ActiveDay, ExplainerRead
from bot.storage.models.base import table_of
from bot.storage.upsert import prebuilt_upsert

READS = table_of(ExplainerRead)
DAYS = table_of(ActiveDay)
_READ_IDS = select(READS.c.explainer_id).where(READS.c.user_id == bindparam("user_id"))
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


def mark_read(session: Session, user_id: int, explainer_id: str, now: datetime) -> None:
    """Count an explainer as read once, however often its last page is shown."""
    session.execute(
        prebuilt_upsert(session, "reading.mark_read", _mark_read),
        {"user_id": user_id, "explainer_id": explainer_id, "now": now},
    )


def read_ids(session: Session, user_id: int) -> set[str]:
    return set(session.scalars(_READ_IDS, {"user_id": user_id}))


def mark_active(session: Session, user_id: int, day: date) -> None:
    session.execute(
        prebuilt_upsert(session, "reading.mark_active", _mark_active),
        {"user_id": user_id, "day": day},
    )


def active_days(session: Session, user_id: int) -> list[date]:
    return list(session.scalars(_ACTIVE_DAYS, {"user_id": user_id}))
