"""The webhook inbox on PostgreSQL: which of a sender's accepted updates may be handled now.

An update may start when no earlier update of the same sender (`lane`) is still waiting and no
other update of that sender is being handled. The check and the start are made atomic per
sender by a transaction-scoped advisory lock on the sender's id, so two replicas can never both
start one sender's updates; the lock ends with the short transaction, and no connection is held
while the handler runs. Rows older than `stale_before` belong to a replica that died: they are
ignored, so a crash delays that sender's next update by at most the stale age.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, or_, select, update

from bot.storage.tables import UPDATE_INBOX as INBOX

_ENQUEUE = insert(INBOX).values(
    update_id=bindparam("u_id"), lane=bindparam("u_lane"), received_at=bindparam("u_now")
)
_LOCK_LANE = select(func.pg_advisory_xact_lock(bindparam("u_lane")))
_BLOCKED = (
    select(INBOX.c.update_id)
    .where(
        INBOX.c.lane == bindparam("u_lane"),
        INBOX.c.update_id != bindparam("u_id"),
        or_(
            and_(
                INBOX.c.update_id < bindparam("u_id"),
                INBOX.c.received_at >= bindparam("stale_before"),
            ),
            INBOX.c.started_at >= bindparam("stale_before"),
        ),
    )
    .limit(1)
)
_START = (
    update(INBOX)
    .where(INBOX.c.update_id == bindparam("u_id"))
    .values(started_at=bindparam("u_now"))
)
_FINISH = delete(INBOX).where(INBOX.c.update_id == bindparam("u_id"))


def enqueue(connection: Connection, update_id: int, lane: int, now: datetime) -> None:
    """Record an accepted update as waiting (after its id was claimed, so it is new)."""
    connection.execute(_ENQUEUE, {"u_id": update_id, "u_lane": lane, "u_now": now})


def try_start(
    connection: Connection, update_id: int, lane: int, now: datetime, stale_before: datetime
) -> bool:
    """Mark the update as being handled if it is its sender's turn; False: try again later."""
    connection.execute(_LOCK_LANE, {"u_lane": lane})
    params = {"u_lane": lane, "u_id": update_id, "stale_before": stale_before}
    if connection.scalar(_BLOCKED, params) is not None:
        return False
    connection.execute(_START, {"u_id": update_id, "u_now": now})
    return True


def finish(connection: Connection, update_id: int) -> None:
    """The update was handled (or given up): the sender's next update may start."""
    connection.execute(_FINISH, {"u_id": update_id})
