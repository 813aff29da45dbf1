"""Erase everything held about a user: one row delete, the rest follows by ON DELETE CASCADE."""

from __future__ import annotations

from sqlalchemy import Connection, delete

from bot.storage.models import User


def forget_user(connection: Connection, user_id: int) -> bool:
    """Delete the user and all their data; False when there was nothing to delete."""
    result = connection.execute(delete(User).where(User.id == user_id))
    return bool(result.rowcount)
