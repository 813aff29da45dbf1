"""Erase everything held about a user, and mark who can no longer be reached."""

from __future__ import annotations

from sqlalchemy import Connection

from bot.storage.repositories import users


def forget_user(connection: Connection, user_id: int) -> bool:
    """Delete the user and all their data; False when there was nothing to delete."""
    return users.delete(connection, user_id)


def set_reachable(connection: Connection, user_id: int, reachable: bool) -> None:
    """A user who blocked the bot gets no daily tips until they write to it again."""
    users.set_reachable(connection, user_id, reachable)
