"""Users: create on first contact, mark unreachable when they block the bot."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from bot.storage.tables import USERS
from bot.storage.upsert import InsertFactory, for_dialects


# ------------------------------------------------------------------ statements, built at import
def _touch(insert: InsertFactory) -> Any:
    statement = insert(USERS).values(id=bindparam("user_id"), created_at=bindparam("now"))
    # Only touch the row when it changes: a known, reachable user costs a read, not a write.
    return statement.on_conflict_do_update(
        index_elements=["id"], set_={"reachable": True}, where=USERS.c.reachable.is_(False)
    )


_TOUCH = for_dialects(_touch)
_TIMEZONE = select(USERS.c.timezone).where(USERS.c.id == bindparam("user_id"))
_SET_REACHABLE = (
    update(USERS)
    .where(USERS.c.id == bindparam("user_id"))
    .values(reachable=bindparam("is_reachable"))
)
_SET_TIMEZONE = (
    update(USERS).where(USERS.c.id == bindparam("user_id")).values(timezone=bindparam("zone"))
)
_EXISTING_IDS = select(USERS.c.id).where(USERS.c.id.in_(bindparam("user_ids", expanding=True)))
_DELETE = USERS.delete().where(USERS.c.id == bindparam("user_id"))
_COUNT = select(func.count()).select_from(USERS)


def touch(connection: Connection, user_id: int, now: datetime) -> None:
    """Make sure the user exists and is reachable (they just wrote to us)."""
    connection.execute(_TOUCH.of(connection), {"user_id": user_id, "now": now})


def set_reachable(connection: Connection, user_id: int, reachable: bool) -> None:
    connection.execute(_SET_REACHABLE, {"user_id": user_id, "is_reachable": reachable})


def set_timezone(connection: Connection, user_id: int, zone_name: str) -> None:
    """The user's IANA zone: the one place streaks and daily tips read it from."""
    connection.execute(_SET_TIMEZONE, {"user_id": user_id, "zone": zone_name})


def existing_ids(connection: Connection, user_ids: set[int]) -> set[int]:
    """Which of these users are still stored (the others used /forget)."""
    if not user_ids:
        return set()
    return set(connection.scalars(_EXISTING_IDS, {"user_ids": list(user_ids)}))


def delete(connection: Connection, user_id: int) -> bool:
    """Delete the user; every per-user table follows by ON DELETE CASCADE. False: nobody there."""
    result = connection.execute(_DELETE, {"user_id": user_id})
    return bool(result.rowcount)


def count(connection: Connection) -> int:
    return int(connection.scalar(_COUNT) or 0)


def timezone_of(connection: Connection, user_id: int) -> str | None:
    """The zone name the user chose, as stored (None: never chose one)."""
    return connection.scalar(_TIMEZONE, {"user_id": user_id})
