"""Processed updates: claim an update id once, forget old ids, and the health probe."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, text

from bot.storage.tables import PROCESSED_UPDATES
from bot.storage.upsert import for_dialects

_PRUNE = delete(PROCESSED_UPDATES).where(PROCESSED_UPDATES.c.received_at < bindparam("before"))
_PING = text("SELECT 1")


def _claim(insert: Any) -> Any:
    statement = insert(PROCESSED_UPDATES).values(
        update_id=bindparam("update_id"), received_at=bindparam("now")
    )
    # RETURNING rather than rowcount: psycopg reports -1 for an INSERT without it.
    return statement.on_conflict_do_nothing(index_elements=["update_id"]).returning(
        PROCESSED_UPDATES.c.update_id
    )


_CLAIM = for_dialects(_claim)


def claim(connection: Connection, update_id: int, now: datetime) -> bool:
    """Record the update id; False when it was already there (a redelivery or another replica).

    One atomic INSERT ... ON CONFLICT DO NOTHING: two replicas racing on the same id cannot
    both see True, on SQLite or PostgreSQL.
    """
    inserted = connection.scalar(
        _CLAIM.of(connection),
        {"update_id": update_id, "now": now},
    )
    return inserted is not None


def prune(connection: Connection, before: datetime) -> int:
    """Delete ids received before `before`; returns how many went."""
    return int(connection.execute(_PRUNE, {"before": before}).rowcount)


def ping(connection: Connection) -> bool:
    """True when the database answers a trivial query (the health endpoint's probe)."""
    return bool(connection.scalar(_PING) == 1)
