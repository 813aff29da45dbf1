"""Daily-tip subscriptions as stored: rows in, rows out; the rules live in bot.flows.subscriptions.

The prompts table remembers what typed input we wait for (so a restart does not forget it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Connection, bindparam, delete, func, select, update

from bot.core.records import Awaiting, Prompt, PromptFlow
from bot.storage.models import TipDelivery, TipPrompt, TipSubscription, User
from bot.storage.models.base import table_of
from bot.storage.repositories import users
from bot.storage.upsert import insert_for

PROMPT_MAX_AGE = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class SubscriptionRow:
    """A subscription with the user's stored zone name (None: the operator's default)."""

    send_time: time
    active: bool
    next_due_at: datetime
    timezone: str | None


@dataclass(frozen=True, slots=True)
class DueSubscriber:
    """One row of the due query: enough to decide and claim without another lookup."""

    user_id: int
    send_time: time
    timezone: str | None
    reachable: bool


def get(connection: Connection, user_id: int) -> SubscriptionRow | None:
    row = connection.execute(
        select(
            TipSubscription.send_time,
            TipSubscription.active,
            TipSubscription.next_due_at,
            User.timezone,
        )
        .join(User, User.id == TipSubscription.user_id)
        .where(TipSubscription.user_id == user_id)
    ).one_or_none()
    return SubscriptionRow(*row) if row is not None else None


def delivered_on(connection: Connection, user_id: int, day: date) -> bool:
    """Whether the ledger already has a row for this user's local day."""
    found = connection.scalar(
        select(TipDelivery.user_id).where(
            TipDelivery.user_id == user_id, TipDelivery.local_date == day
        )
    )
    return found is not None


def upsert(
    connection: Connection,
    user_id: int,
    send_time: time,
    next_due_at: datetime,
    now: datetime,
    *,
    activate: bool,
) -> None:
    """Create or change the subscription in one statement; `activate` also turns it on."""
    values: dict[str, object] = {
        "send_time": send_time,
        "next_due_at": next_due_at,
        "updated_at": now,
    }
    statement = insert_for(connection, TipSubscription).values(
        user_id=user_id, active=True, **values
    )
    if activate:
        values["active"] = True
    connection.execute(statement.on_conflict_do_update(index_elements=["user_id"], set_=values))


def update_schedule(
    connection: Connection, user_id: int, *, active: bool, next_due_at: datetime, now: datetime
) -> None:
    connection.execute(
        update(TipSubscription)
        .where(TipSubscription.user_id == user_id)
        .values(active=active, next_due_at=next_due_at, updated_at=now)
    )


# ------------------------------------------------------------------------------ the due query


def due(connection: Connection, now: datetime, limit: int) -> list[DueSubscriber]:
    """Active subscribers whose instant has come, oldest first: a range scan on the partial
    index. On PostgreSQL, rows another pass holds are skipped rather than waited for."""
    statement = (
        select(
            TipSubscription.user_id,
            TipSubscription.send_time,
            User.timezone,
            User.reachable,
        )
        .join(User, User.id == TipSubscription.user_id)
        .where(TipSubscription.active, TipSubscription.next_due_at <= now)
        .order_by(TipSubscription.next_due_at)
        .limit(limit)
        .with_for_update(skip_locked=True, of=TipSubscription)
    )
    return [DueSubscriber(*row) for row in connection.execute(statement)]


_RESCHEDULE = (
    update(table_of(TipSubscription))
    .where(table_of(TipSubscription).c.user_id == bindparam("r_user_id"))
    .values(next_due_at=bindparam("r_next_due_at"))
)


def reschedule_many(connection: Connection, next_due: Mapping[int, datetime]) -> None:
    """Store each user's next instant: one executemany UPDATE by primary key."""
    if not next_due:
        return
    connection.execute(
        _RESCHEDULE,
        [{"r_user_id": user_id, "r_next_due_at": due} for user_id, due in next_due.items()],
    )


def count_active(connection: Connection) -> int:
    statement = select(func.count()).select_from(TipSubscription).where(TipSubscription.active)
    return int(connection.scalar(statement) or 0)


# ---------------------------------------------------------------------------------- prompts


def ask(
    connection: Connection, user_id: int, awaiting: Awaiting, flow: PromptFlow, now: datetime
) -> None:
    """Remember that the next plain text from this user answers a question ("time"/"zone")."""
    users.touch(connection, user_id, now)
    values = {"awaiting": awaiting, "flow": flow, "asked_at": now}
    statement = insert_for(connection, TipPrompt).values(user_id=user_id, **values)
    connection.execute(statement.on_conflict_do_update(index_elements=["user_id"], set_=values))


def prompt_of(connection: Connection, user_id: int, now: datetime) -> Prompt | None:
    """The open question, if one was asked in the last half hour (older ones are forgotten)."""
    row = connection.execute(
        select(TipPrompt.awaiting, TipPrompt.flow, TipPrompt.asked_at).where(
            TipPrompt.user_id == user_id
        )
    ).one_or_none()
    if row is None or now - row.asked_at > PROMPT_MAX_AGE:
        return None
    return Prompt(Awaiting(row.awaiting), PromptFlow(row.flow))


def clear_prompt(connection: Connection, user_id: int) -> None:
    connection.execute(delete(TipPrompt).where(TipPrompt.user_id == user_id))
