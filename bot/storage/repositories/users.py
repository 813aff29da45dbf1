"""Users: create on first contact, mark unreachable when they block the bot."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from bot.storage.models import User
from bot.storage.models.base import table_of
from bot.storage.upsert import prebuilt_upsert

USERS = table_of(User)
_TIMEZONE = select(USERS.c.timezone).where(USERS.c.id == bindparam("user_id"))


def _touch(insert: Any) -> Any:
    statement = insert(USERS).values(id=bindparam("user_id"), created_at=bindparam("now"))
    # Only touch the row when it changes: a known, reachable user costs a read, not a write.
    return statement.on_conflict_do_update(
        index_elements=["id"], set_={"reachable": True}, where=USERS.c.reachable.is_(False)
    )


def touch(connection: Connection, user_id: int, now: datetime) -> None:
    """Make sure the user exists and is reachable (they just wrote to us)."""
    connection.execute(
        prebuilt_upsert(connection, "users.touch", _touch), {"user_id": user_id, "now": now}
    )


def set_reachable(connection: Connection, user_id: int, reachable: bool) -> None:
    connection.execute(update(USERS).where(USERS.c.id == user_id).values(reachable=reachable))


def set_timezone(connection: Connection, user_id: int, zone_name: str) -> None:
    """The user's IANA zone: the one place streaks and daily tips read it from."""
    connection.execute(update(USERS).where(USERS.c.id == user_id).values(timezone=zone_name))


def existing_ids(connection: Connection, user_ids: set[int]) -> set[int]:
    """Which of these users are still stored (the others used /forget)."""
    if not user_ids:
        return set()
    return set(connection.scalars(select(USERS.c.id).where(USERS.c.id.in_(user_ids))))


def delete(connection: Connection, user_id: int) -> bool:
    """Delete the user; every per-user table follows by ON DELETE CASCADE. False: nobody there."""
    result = connection.execute(USERS.delete().where(USERS.c.id == user_id))
    return bool(result.rowcount)


def exists(connection: Connection, user_id: int) -> bool:
    return connection.scalar(select(USERS.c.id).where(USERS.c.id == user_id)) is not None


def count(connection: Connection) -> int:
    return int(connection.scalar(select(func.count()).select_from(USERS)) or 0)


def timezone_of(connection: Connection, user_id: int) -> str | None:
    return connection.scalar(_TIMEZONE, {"user_id": user_id})


def is_reachable(connection: Connection, user_id: int) -> bool:
    return bool(connection.scalar(select(USERS.c.reachable).where(USERS.c.id == user_id)))
