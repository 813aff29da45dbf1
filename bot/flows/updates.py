"""Webhook updates: accept each update id once, prune old ids, and say whether storage answers."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection

from bot.storage.repositories import update_inbox, updates

# Telegram gives up redelivering an update after about a day, so an id older than that can
# never come back: keeping it longer would only grow the table.
KEEP_PROCESSED_FOR = timedelta(days=1)
# An inbox row older than this belongs to a replica that died while the update waited or was
# being handled: far longer than a handler takes, short enough that its sender barely notices.
INBOX_STALE_AFTER = timedelta(seconds=60)


def accept(connection: Connection, update_id: int, now: datetime, lane: int | None = None) -> bool:
    """True the first time an update id arrives, False for every later copy of it.

    With a `lane` (several replicas on PostgreSQL) a new update is also put in the inbox, in the
    same transaction, so its sender's later updates wait for it on every replica.
    """
    first_time = updates.claim(connection, update_id, now)
    if first_time and lane is not None:
        update_inbox.enqueue(connection, update_id, lane, now)
    return first_time


def start_turn(connection: Connection, update_id: int, lane: int, now: datetime) -> bool:
    """Whether the update may be handled now (its sender's earlier updates are done)."""
    return update_inbox.try_start(connection, update_id, lane, now, now - INBOX_STALE_AFTER)


def end_turn(connection: Connection, update_id: int) -> None:
    """The update was handled: let its sender's next one go."""
    update_inbox.finish(connection, update_id)


def forget_old(connection: Connection, now: datetime) -> int:
    """Drop ids that Telegram can no longer redeliver; returns how many were dropped."""
    return updates.prune(connection, now - KEEP_PROCESSED_FOR)


def database_answers(connection: Connection) -> bool:
    """The health check: the database takes a query (connection, credentials, server up)."""
    return updates.ping(connection)
