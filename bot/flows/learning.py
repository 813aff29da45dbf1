"""Reading explainers and coming back: the visits and reads /learn, /start and the chat record."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from bot.storage.repositories import memory, reading, users


def mark_read(connection: Connection, user_id: int, explainer_id: str, now: datetime) -> None:
    """Count an explainer as read (once) when the user reaches its last page."""
    users.touch(connection, user_id, now)
    reading.mark_read(connection, user_id, explainer_id, now)


def welcome_back(connection: Connection, user_id: int, now: datetime) -> int:
    """Record a visit (the user is reachable again after a block) and count reviews due."""
    users.touch(connection, user_id, now)
    return memory.count_due(connection, user_id, now)
