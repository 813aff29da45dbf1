"""Discreet mode and weekly-card choices: one user's, the discreet few, and a change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select

from bot.core.discreet import Preferences
from bot.storage.tables import USER_PREFERENCES
from bot.storage.upsert import PerDialect, for_dialects

_P = USER_PREFERENCES.c

# ------------------------------------------------------------------ statements, built at import
_ONE = select(_P.discreet, _P.delete_after_hours, _P.weekly_card).where(
    _P.user_id == bindparam("user_id")
)
_DISCREET = select(_P.user_id, _P.discreet, _P.delete_after_hours, _P.weekly_card).where(
    _P.discreet.is_(True)
)


def _setter(column: str) -> PerDialect[Any]:
    """An upsert of one column: a first choice inserts the row, a later one updates it."""

    def build(insert: Any) -> Any:
        statement = insert(USER_PREFERENCES).values(
            {
                "user_id": bindparam("user_id"),
                column: bindparam("value"),
                "updated_at": bindparam("now"),
            }
        )
        return statement.on_conflict_do_update(
            index_elements=["user_id"],
            set_={column: statement.excluded[column], "updated_at": statement.excluded.updated_at},
        )

    return for_dialects(build)


_SET = {name: _setter(name) for name in ("discreet", "delete_after_hours", "weekly_card")}


def of(connection: Connection, user_id: int) -> Preferences:
    """The user's choices, or the defaults when they never made one."""
    row = connection.execute(_ONE, {"user_id": user_id}).first()
    if row is None:
        return Preferences()
    return Preferences(bool(row.discreet), row.delete_after_hours, bool(row.weekly_card))


def discreet_users(connection: Connection) -> dict[int, Preferences]:
    """Everyone in discreet mode (few, and read once per delivery pass)."""
    return {
        row.user_id: Preferences(True, row.delete_after_hours, bool(row.weekly_card))
        for row in connection.execute(_DISCREET)
    }


def set_value(
    connection: Connection, user_id: int, column: str, value: object, now: datetime
) -> None:
    """Store one choice ("discreet", "delete_after_hours" or "weekly_card")."""
    statement = _SET[column].of(connection)
    connection.execute(statement, {"user_id": user_id, "value": value, "now": now})
