"""Webhook updates: accept each update id once, prune old ids, and say whether storage answers."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection

from bot.storage.repositories import updates

# Telegram gives up redelivering an update after about a day, so an id older than that can
# never come back: keeping it longer would only grow the table.
KEEP_PROCESSED_FOR = timedelta(days=1)


def accept(connection: Connection, update_id: int, now: datetime) -> bool:
    """True the first time an update id arrives, False for every later copy of it."""
    return updates.claim(connection, update_id, now)


def forget_old(connection: Connection, now: datetime) -> int:
    """Drop ids that Telegram can no longer redeliver; returns how many were dropped."""
    return updates.prune(connection, now - KEEP_PROCESSED_FOR)


def database_answers(connection: Connection) -> bool:
    """The health check: the database takes a query (connection, credentials, server up)."""
    return updates.ping(connection)
