"""Users: create on first contact, mark unreachable when they block the bot."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.storage.models import User
from bot.storage.upsert import insert_for


def touch(session: Session, user_id: int, now: datetime) -> None:
    """Make sure the user exists and is reachable (they just wrote to us)."""
    statement = insert_for(session, User).values(id=user_id, created_at=now, reachable=True)
    session.execute(
        statement.on_conflict_do_update(index_elements=["id"], set_={"reachable": True})
    )


def set_reachable(session: Session, user_id: int, reachable: bool) -> None:
    session.execute(update(User).where(User.id == user_id).values(reachable=reachable))


def exists(session: Session, user_id: int) -> bool:
    return session.scalar(select(User.id).where(User.id == user_id)) is not None


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(User)) or 0)


def timezone_of(session: Session, user_id: int) -> str | None:
    return session.scalar(select(User.timezone).where(User.id == user_id))


def is_reachable(session: Session, user_id: int) -> bool:
    return bool(session.scalar(select(User.reachable).where(User.id == user_id)))
