"""Daily-tip subscriptions: create, change, pause, and find who is due.

Every change recomputes `next_due_at` from the wall-clock time and the user's zone
(`users.timezone`, the one source of truth; None means the operator's default), so the due query
never needs to know about zones. The prompts table remembers what typed input we wait for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bot.core import subscriptions as schedule
from bot.storage.models import TipDelivery, TipPrompt, TipSubscription, User
from bot.storage.repositories import users
from bot.storage.upsert import insert_for

PROMPT_MAX_AGE = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class Subscription:
    """A subscription as handlers show it; `timezone` is the effective zone name."""

    user_id: int
    send_time: time
    active: bool
    next_due_at: datetime
    timezone: str


@dataclass(frozen=True, slots=True)
class DueSubscriber:
    """One row of the due query: enough to decide and claim without another lookup."""

    user_id: int
    send_time: time
    timezone: str
    reachable: bool


@dataclass(frozen=True, slots=True)
class Prompt:
    awaiting: str  # "time" or "zone"
    flow: str  # "subscribe" or "settings"


def zone_of(name: str | None, default_zone: str) -> ZoneInfo:
    """The user's zone; a name that no longer exists falls back to the default, never crashes."""
    canonical = schedule.canonical_zone(name) if name else None
    return ZoneInfo(canonical or default_zone)


def effective_zone_name(session: Session, user_id: int, default_zone: str) -> str:
    return zone_of(users.timezone_of(session, user_id), default_zone).key


def get(session: Session, user_id: int, default_zone: str) -> Subscription | None:
    row = session.execute(
        select(
            TipSubscription.send_time,
            TipSubscription.active,
            TipSubscription.next_due_at,
            User.timezone,
        )
        .join(User, User.id == TipSubscription.user_id)
        .where(TipSubscription.user_id == user_id)
    ).one_or_none()
    if row is None:
        return None
    send_time, active, next_due_at, zone_name = row
    zone = zone_of(zone_name, default_zone).key
    return Subscription(user_id, send_time, active, next_due_at, zone)


def _next_due(
    session: Session, user_id: int, send_time: time, zone: ZoneInfo, now: datetime
) -> datetime:
    """Next instant, skipping today when today's tip already has a ledger row."""
    today = schedule.local_date(zone, now)
    delivered = session.scalar(
        select(TipDelivery.user_id).where(
            TipDelivery.user_id == user_id, TipDelivery.local_date == today
        )
    )
    return schedule.next_due_after(send_time, zone, now, delivered_today=delivered is not None)


def subscribe(
    session: Session,
    user_id: int,
    send_time: time,
    now: datetime,
    default_zone: str,
    *,
    keep_paused: bool = False,
) -> Subscription:
    """Set the daily time and turn tips on (creating the user if needed); one upsert.

    `keep_paused` changes only the time of a paused subscription (/settings "Change time").
    """
    users.touch(session, user_id, now)
    zone = zone_of(users.timezone_of(session, user_id), default_zone)
    due = _next_due(session, user_id, send_time, zone, now)
    values: dict[str, object] = {"send_time": send_time, "next_due_at": due, "updated_at": now}
    statement = insert_for(session, TipSubscription).values(user_id=user_id, active=True, **values)
    if not keep_paused:
        values["active"] = True
    session.execute(statement.on_conflict_do_update(index_elements=["user_id"], set_=values))
    current = get(session, user_id, default_zone)
    assert current is not None
    return current


def set_active(
    session: Session, user_id: int, active: bool, now: datetime, default_zone: str
) -> Subscription | None:
    """Pause or resume; resuming recomputes the next instant. None when never subscribed."""
    current = get(session, user_id, default_zone)
    if current is None:
        return None
    due = current.next_due_at
    if active:
        zone = ZoneInfo(current.timezone)
        due = _next_due(session, user_id, current.send_time, zone, now)
    session.execute(
        update(TipSubscription)
        .where(TipSubscription.user_id == user_id)
        .values(active=active, next_due_at=due, updated_at=now)
    )
    return Subscription(user_id, current.send_time, active, due, current.timezone)


def set_timezone(
    session: Session, user_id: int, zone_name: str, now: datetime, default_zone: str
) -> Subscription | None:
    """Write users.timezone and keep the subscription's next instant in step with it."""
    users.touch(session, user_id, now)
    session.execute(update(User).where(User.id == user_id).values(timezone=zone_name))
    current = get(session, user_id, default_zone)
    if current is None:
        return None
    due = _next_due(session, user_id, current.send_time, ZoneInfo(current.timezone), now)
    session.execute(
        update(TipSubscription)
        .where(TipSubscription.user_id == user_id)
        .values(next_due_at=due, updated_at=now)
    )
    return Subscription(user_id, current.send_time, current.active, due, current.timezone)


# ------------------------------------------------------------------------------ the due query


def due(session: Session, now: datetime, limit: int, default_zone: str) -> list[DueSubscriber]:
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
    return [
        DueSubscriber(user_id, send_time, zone_of(zone, default_zone).key, reachable)
        for user_id, send_time, zone, reachable in session.execute(statement)
    ]


def reschedule_many(session: Session, next_due: Mapping[int, datetime]) -> None:
    """Store each user's next instant: one executemany UPDATE by primary key."""
    if not next_due:
        return
    session.execute(
        update(TipSubscription),
        [{"user_id": user_id, "next_due_at": due} for user_id, due in next_due.items()],
    )


def count_active(session: Session) -> int:
    statement = select(func.count()).select_from(TipSubscription).where(TipSubscription.active)
    return int(session.scalar(statement) or 0)


# ---------------------------------------------------------------------------------- prompts


def ask(session: Session, user_id: int, awaiting: str, flow: str, now: datetime) -> None:
    """Remember that the next plain text from this user answers a question ("time"/"zone")."""
    users.touch(session, user_id, now)
    values = {"awaiting": awaiting, "flow": flow, "asked_at": now}
    statement = insert_for(session, TipPrompt).values(user_id=user_id, **values)
    session.execute(statement.on_conflict_do_update(index_elements=["user_id"], set_=values))


def prompt_of(session: Session, user_id: int, now: datetime) -> Prompt | None:
    """The open question, if one was asked in the last half hour (older ones are forgotten)."""
    row = session.execute(
        select(TipPrompt.awaiting, TipPrompt.flow, TipPrompt.asked_at).where(
            TipPrompt.user_id == user_id
        )
    ).one_or_none()
    if row is None or now - row.asked_at > PROMPT_MAX_AGE:
        return None
    return Prompt(row.awaiting, row.flow)


def clear_prompt(session: Session, user_id: int) -> None:
    session.execute(delete(TipPrompt).where(TipPrompt.user_id == user_id))
