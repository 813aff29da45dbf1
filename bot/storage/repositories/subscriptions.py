"""Daily-tip subscriptions as stored: rows in, rows out; the rules live in bot.flows.subscriptions.

The prompts table remembers what typed input we wait for (so a restart does not forget it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from bot.core.records import Awaiting, Prompt, PromptFlow
from bot.storage.repositories import users
from bot.storage.tables import TIP_DELIVERIES, TIP_PROMPTS, TIP_SUBSCRIPTIONS, USERS
from bot.storage.upsert import InsertFactory, for_dialects

PROMPT_MAX_AGE = timedelta(minutes=30)
SUBS = TIP_SUBSCRIPTIONS


# ------------------------------------------------------------------ statements, built at import
def _upsert(*, activate: bool) -> Any:
    """Create or change a subscription; with `activate`, an existing one is also turned on."""

    def build(insert: InsertFactory) -> Any:
        statement = insert(SUBS).values(
            user_id=bindparam("user_id"),
            send_time=bindparam("send_time"),
            active=True,
            next_due_at=bindparam("next_due_at"),
            updated_at=bindparam("now"),
        )
        excluded = statement.excluded
        changes: dict[str, Any] = {
            "send_time": excluded.send_time,
            "next_due_at": excluded.next_due_at,
            "updated_at": excluded.updated_at,
        }
        if activate:
            changes["active"] = True
        return statement.on_conflict_do_update(index_elements=["user_id"], set_=changes)

    return build


def _ask(insert: InsertFactory) -> Any:
    statement = insert(TIP_PROMPTS).values(
        user_id=bindparam("user_id"),
        awaiting=bindparam("awaiting"),
        flow=bindparam("flow"),
        asked_at=bindparam("now"),
    )
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=["user_id"],
        set_={"awaiting": excluded.awaiting, "flow": excluded.flow, "asked_at": excluded.asked_at},
    )


_SUBSCRIBE = for_dialects(_upsert(activate=True))
_SUBSCRIBE_KEEP_ACTIVE = for_dialects(_upsert(activate=False))
_ASK = for_dialects(_ask)
_GET = (
    select(SUBS.c.send_time, SUBS.c.active, SUBS.c.next_due_at, USERS.c.timezone)
    .join(USERS, USERS.c.id == SUBS.c.user_id)
    .where(SUBS.c.user_id == bindparam("user_id"))
)
_DELIVERED_ON = select(TIP_DELIVERIES.c.user_id).where(
    TIP_DELIVERIES.c.user_id == bindparam("user_id"),
    TIP_DELIVERIES.c.local_date == bindparam("day"),
)
_UPDATE_SCHEDULE = (
    update(SUBS)
    .where(SUBS.c.user_id == bindparam("s_user_id"))
    .values(
        active=bindparam("s_active"),
        next_due_at=bindparam("s_next_due_at"),
        updated_at=bindparam("s_now"),
    )
)
# Active subscribers whose instant has come, oldest first: a range scan on the partial index.
# On PostgreSQL, rows another pass holds are skipped rather than waited for.
_DUE = (
    select(SUBS.c.user_id, SUBS.c.send_time, USERS.c.timezone, USERS.c.reachable)
    .join(USERS, USERS.c.id == SUBS.c.user_id)
    .where(SUBS.c.active, SUBS.c.next_due_at <= bindparam("now"))
    .order_by(SUBS.c.next_due_at)
    .limit(bindparam("limit"))
    .with_for_update(skip_locked=True, of=SUBS)
)
DUE_QUERY = _DUE  # public so bench/due_query.py can EXPLAIN exactly what the engine runs
_RESCHEDULE = (
    update(SUBS)
    .where(SUBS.c.user_id == bindparam("r_user_id"))
    .values(next_due_at=bindparam("r_next_due_at"))
)
_COUNT_ACTIVE = select(func.count()).select_from(SUBS).where(SUBS.c.active)
_PROMPT = select(TIP_PROMPTS.c.awaiting, TIP_PROMPTS.c.flow, TIP_PROMPTS.c.asked_at).where(
    TIP_PROMPTS.c.user_id == bindparam("user_id")
)
_CLEAR_PROMPT = TIP_PROMPTS.delete().where(TIP_PROMPTS.c.user_id == bindparam("user_id"))


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
    row = connection.execute(_GET, {"user_id": user_id}).one_or_none()
    return SubscriptionRow(*row) if row is not None else None


def delivered_on(connection: Connection, user_id: int, day: date) -> bool:
    """Whether the ledger already has a row for this user's local day."""
    found = connection.scalar(_DELIVERED_ON, {"user_id": user_id, "day": day})
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
    statement = _SUBSCRIBE if activate else _SUBSCRIBE_KEEP_ACTIVE
    connection.execute(
        statement.of(connection),
        {"user_id": user_id, "send_time": send_time, "next_due_at": next_due_at, "now": now},
    )


def update_schedule(
    connection: Connection, user_id: int, *, active: bool, next_due_at: datetime, now: datetime
) -> None:
    connection.execute(
        _UPDATE_SCHEDULE,
        {"s_user_id": user_id, "s_active": active, "s_next_due_at": next_due_at, "s_now": now},
    )


# ------------------------------------------------------------------------------ the due query


def due(connection: Connection, now: datetime, limit: int) -> list[DueSubscriber]:
    """Active subscribers whose instant has come, oldest first (see `_DUE`)."""
    rows = connection.execute(_DUE, {"now": now, "limit": limit})
    return [DueSubscriber(*row) for row in rows]


def reschedule_many(connection: Connection, next_due: Mapping[int, datetime]) -> None:
    """Store each user's next instant: one executemany UPDATE by primary key."""
    if not next_due:
        return
    connection.execute(
        _RESCHEDULE,
        [{"r_user_id": user_id, "r_next_due_at": due} for user_id, due in next_due.items()],
    )


def count_active(connection: Connection) -> int:
    return int(connection.scalar(_COUNT_ACTIVE) or 0)


# ---------------------------------------------------------------------------------- prompts


def ask(
    connection: Connection, user_id: int, awaiting: Awaiting, flow: PromptFlow, now: datetime
) -> None:
    """Remember that the next plain text from this user answers a question ("time"/"zone")."""
    users.touch(connection, user_id, now)
    connection.execute(
        _ASK.of(connection), {"user_id": user_id, "awaiting": awaiting, "flow": flow, "now": now}
    )


def prompt_of(connection: Connection, user_id: int, now: datetime) -> Prompt | None:
    """The open question, if one was asked in the last half hour (older ones are forgotten)."""
    row = connection.execute(_PROMPT, {"user_id": user_id}).one_or_none()
    if row is None or now - row.asked_at > PROMPT_MAX_AGE:
        return None
    return Prompt(Awaiting(row.awaiting), PromptFlow(row.flow))


def clear_prompt(connection: Connection, user_id: int) -> None:
    connection.execute(_CLEAR_PROMPT, {"user_id": user_id})
