"""Messages to delete: remember one, read the due ones, forget the ones dealt with."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select, tuple_

from bot.core.discreet import MessageRef
from bot.storage.tables import MESSAGES_TO_DELETE
from bot.storage.upsert import for_dialects

_M = MESSAGES_TO_DELETE.c


# ------------------------------------------------------------------ statements, built at import
def _add(insert: Any) -> Any:
    statement = insert(MESSAGES_TO_DELETE).values(
        user_id=bindparam("user_id"),
        chat_id=bindparam("chat_id"),
        message_id=bindparam("message_id"),
        delete_at=bindparam("delete_at"),
    )
    # The same message recorded twice (a retried send) keeps its first deadline.
    return statement.on_conflict_do_nothing(index_elements=["chat_id", "message_id"])


_ADD = for_dialects(_add)
_DUE = (
    select(_M.chat_id, _M.message_id)
    .where(_M.delete_at <= bindparam("now"))
    .order_by(_M.delete_at)
    .limit(bindparam("limit"))
)


def add(connection: Connection, user_id: int, ref: MessageRef, delete_at: datetime) -> None:
    connection.execute(
        _ADD.of(connection),
        {
            "user_id": user_id,
            "chat_id": ref.chat_id,
            "message_id": ref.message_id,
            "delete_at": delete_at,
        },
    )


def due(connection: Connection, now: datetime, limit: int) -> list[MessageRef]:
    """The oldest messages whose time has come."""
    rows = connection.execute(_DUE, {"now": now, "limit": limit})
    return [MessageRef(row.chat_id, row.message_id) for row in rows]


def remove(connection: Connection, refs: Sequence[MessageRef]) -> None:
    """Forget messages that were deleted (or can no longer be). Built per call: IN over a batch."""
    if not refs:
        return
    keys = [(ref.chat_id, ref.message_id) for ref in refs]
    connection.execute(
        delete(MESSAGES_TO_DELETE).where(tuple_(_M.chat_id, _M.message_id).in_(keys))
    )
