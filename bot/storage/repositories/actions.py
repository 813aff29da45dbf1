"""Actions a user ticked off, and "remind me" reminders claimed like the delivery ledger."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, select, tuple_, update

from bot.core.actions import ActionStatus, ReminderStatus
from bot.storage.tables import ACTION_REMINDERS as REMINDERS
from bot.storage.tables import USER_ACTIONS as ACTIONS
from bot.storage.upsert import for_dialects

_SET_STATUS = for_dialects(
    lambda insert: (
        insert(ACTIONS)
        .values(
            user_id=bindparam("user_id"),
            action_id=bindparam("action_id"),
            status=bindparam("status"),
            updated_at=bindparam("now"),
        )
        .on_conflict_do_update(
            index_elements=["user_id", "action_id"],
            set_={"status": bindparam("status"), "updated_at": bindparam("now")},
        )
    )
)
_STATUSES = select(ACTIONS.c.action_id, ACTIONS.c.status).where(
    ACTIONS.c.user_id == bindparam("user_id")
)
# Asking again replaces the reminder with a new pending one (a sent one included).
_REMIND = for_dialects(
    lambda insert: (
        insert(REMINDERS)
        .values(
            user_id=bindparam("user_id"),
            action_id=bindparam("action_id"),
            due_at=bindparam("due_at"),
            status=ReminderStatus.PENDING.value,
        )
        .on_conflict_do_update(
            index_elements=["user_id", "action_id"],
            set_={
                "due_at": bindparam("due_at"),
                "status": ReminderStatus.PENDING.value,
                "claimed_at": None,
                "finished_at": None,
            },
        )
    )
)
_CANCEL = REMINDERS.delete().where(
    REMINDERS.c.user_id == bindparam("user_id"),
    REMINDERS.c.action_id == bindparam("action_id"),
    REMINDERS.c.status == ReminderStatus.PENDING.value,
)
_DUE = (
    select(REMINDERS.c.user_id, REMINDERS.c.action_id)
    .where(REMINDERS.c.status == ReminderStatus.PENDING.value)
    .where(REMINDERS.c.due_at <= bindparam("now"))
    .order_by(REMINDERS.c.due_at)
    .limit(bindparam("limit"))
)
_RECORD = (
    update(REMINDERS)
    .where(
        REMINDERS.c.user_id == bindparam("b_user_id"),
        REMINDERS.c.action_id == bindparam("b_action_id"),
        REMINDERS.c.status == ReminderStatus.CLAIMED.value,
    )
    .values(status=bindparam("b_status"), finished_at=bindparam("b_now"))
)
_RESOLVE_ORPHANS = (
    update(REMINDERS)
    .where(
        REMINDERS.c.status == ReminderStatus.CLAIMED.value,
        REMINDERS.c.claimed_at < bindparam("claimed_before"),
    )
    .values(status=ReminderStatus.IN_DOUBT.value, finished_at=bindparam("now"))
)
_PENDING = select(REMINDERS.c.action_id).where(
    REMINDERS.c.user_id == bindparam("user_id"),
    REMINDERS.c.status == ReminderStatus.PENDING.value,
)


@dataclass(frozen=True, slots=True, order=True)
class DueReminder:
    user_id: int
    action_id: str


def set_status(
    connection: Connection, user_id: int, action_id: str, status: ActionStatus, now: datetime
) -> None:
    params = {"user_id": user_id, "action_id": action_id, "status": status.value, "now": now}
    connection.execute(_SET_STATUS.of(connection), params)


def statuses(connection: Connection, user_id: int) -> dict[str, ActionStatus]:
    rows = connection.execute(_STATUSES, {"user_id": user_id})
    return {row.action_id: ActionStatus(row.status) for row in rows}


def remind(connection: Connection, user_id: int, action_id: str, due_at: datetime) -> None:
    params = {"user_id": user_id, "action_id": action_id, "due_at": due_at}
    connection.execute(_REMIND.of(connection), params)


def cancel_reminder(connection: Connection, user_id: int, action_id: str) -> None:
    connection.execute(_CANCEL, {"user_id": user_id, "action_id": action_id})


def pending(connection: Connection, user_id: int) -> set[str]:
    return set(connection.scalars(_PENDING, {"user_id": user_id}))


def claim_due(connection: Connection, now: datetime, limit: int) -> list[DueReminder]:
    """Claim up to `limit` due reminders; only rows still pending are won, so never twice."""
    keys = [
        (r.user_id, r.action_id) for r in connection.execute(_DUE, {"now": now, "limit": limit})
    ]
    if not keys:
        return []
    statement = (
        update(REMINDERS)
        .where(
            tuple_(REMINDERS.c.user_id, REMINDERS.c.action_id).in_(keys),
            REMINDERS.c.status == ReminderStatus.PENDING.value,
        )
        .values(status=ReminderStatus.CLAIMED.value, claimed_at=now)
        .returning(REMINDERS.c.user_id, REMINDERS.c.action_id)
    )
    won = connection.execute(statement).all()
    return sorted(DueReminder(row.user_id, row.action_id) for row in won)


def record(
    connection: Connection, results: Sequence[tuple[DueReminder, ReminderStatus]], now: datetime
) -> None:
    if results:
        rows = [
            {
                "b_user_id": r.user_id,
                "b_action_id": r.action_id,
                "b_status": status.value,
                "b_now": now,
            }
            for r, status in results
        ]
        connection.execute(_RECORD, rows)


def resolve_orphans(connection: Connection, claimed_before: datetime, now: datetime) -> int:
    """A pass died mid-send: its claims may have gone out, so they turn in doubt, never resent."""
    result = connection.execute(_RESOLVE_ORPHANS, {"claimed_before": claimed_before, "now": now})
    return int(result.rowcount)
