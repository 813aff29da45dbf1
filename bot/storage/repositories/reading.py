"""Explainers read and days active: the two facts behind "explainers read" and streaks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.storage.models import ActiveDay, ExplainerRead
from bot.storage.upsert import insert_for


def mark_read(session: Session, user_id: int, explainer_id: str, now: datetime) -> None:
    statement = insert_for(session, ExplainerRead).values(
        user_id=user_id, explainer_id=explainer_id, read_at=now
    )
    session.execute(statement.on_conflict_do_nothing())


def read_ids(session: Session, user_id: int) -> set[str]:
    return set(
        session.scalars(select(ExplainerRead.explainer_id).where(ExplainerRead.user_id == user_id))
    )


def mark_active(session: Session, user_id: int, day: date) -> None:
    statement = insert_for(session, ActiveDay).values(user_id=user_id, day=day)
    session.execute(statement.on_conflict_do_nothing())


def active_days(session: Session, user_id: int) -> list[date]:
    return list(session.scalars(select(ActiveDay.day).where(ActiveDay.user_id == user_id)))


def count_active_days(session: Session, user_id: int) -> int:
    return int(session.scalar(select(func.count()).where(ActiveDay.user_id == user_id)) or 0)
