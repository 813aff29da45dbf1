"""Read-only queries that only tests ask: what is stored, looked at from outside the bot.

The bot never needs these answers (its flows read what they act on), so they live here rather
than in `bot/storage/repositories/`.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, select

from bot.storage.tables import (
    MESSAGES_TO_DELETE,
    QUIZZES,
    TIP_DELIVERIES,
    USERS,
    WEEKLY_CARDS,
)


def user_exists(connection: Connection, user_id: int) -> bool:
    return connection.scalar(select(USERS.c.id).where(USERS.c.id == user_id)) is not None


def is_reachable(connection: Connection, user_id: int) -> bool:
    return bool(connection.scalar(select(USERS.c.reachable).where(USERS.c.id == user_id)))


def quiz_exists(connection: Connection, quiz_id: int) -> bool:
    return connection.scalar(select(QUIZZES.c.id).where(QUIZZES.c.id == quiz_id)) is not None


def delivery_status(connection: Connection, user_id: int, local_date: date) -> str | None:
    """The ledger row's status for this user's local day (None: no row)."""
    return connection.scalar(
        select(TIP_DELIVERIES.c.status).where(
            TIP_DELIVERIES.c.user_id == user_id, TIP_DELIVERIES.c.local_date == local_date
        )
    )


def ledger_statuses(connection: Connection) -> dict[int, list[str]]:
    """User -> statuses of all their ledger rows ("one per day" checks)."""
    found: dict[int, list[str]] = {}
    rows = connection.execute(select(TIP_DELIVERIES.c.user_id, TIP_DELIVERIES.c.status))
    for user_id, status in rows:
        found.setdefault(user_id, []).append(status)
    return found


def messages_to_delete(connection: Connection) -> list[tuple[int, int]]:
    """(chat id, message id) of every lesson waiting to delete itself."""
    rows = connection.execute(
        select(MESSAGES_TO_DELETE.c.chat_id, MESSAGES_TO_DELETE.c.message_id).order_by(
            MESSAGES_TO_DELETE.c.message_id
        )
    )
    return [(row.chat_id, row.message_id) for row in rows]


def weekly_card_rows(connection: Connection) -> list[tuple[int, date, str]]:
    rows = connection.execute(
        select(WEEKLY_CARDS.c.user_id, WEEKLY_CARDS.c.week_start, WEEKLY_CARDS.c.status).order_by(
            WEEKLY_CARDS.c.week_start
        )
    )
    return [(row.user_id, row.week_start, row.status) for row in rows]
