"""Subscribing, pausing, resuming and moving a daily tip: the rules that keep `next_due_at` right.

Every change recomputes the next instant from the wall-clock time and the user's zone
(`users.timezone`, the one source of truth; None means the operator's default), so the due
query never needs to know about zones. The repository only stores what these rules decide.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from bot.core import local_time
from bot.core.records import Subscription
from bot.storage.repositories import subscriptions as stored
from bot.storage.repositories import users


def effective_zone(connection: Connection, user_id: int, default_zone: ZoneInfo) -> ZoneInfo:
    """The zone the user's days follow: the one they chose, else the operator's default."""
    return local_time.zone_of(users.timezone_of(connection, user_id), default_zone)


def _current(
    connection: Connection, user_id: int, default_zone: ZoneInfo
) -> tuple[Subscription, ZoneInfo] | None:
    """The stored subscription with its zone resolved once (None: never subscribed)."""
    row = stored.get(connection, user_id)
    if row is None:
        return None
    zone = local_time.zone_of(row.timezone, default_zone)
    return Subscription(user_id, row.send_time, row.active, row.next_due_at, zone.key), zone


def get(connection: Connection, user_id: int, default_zone: ZoneInfo) -> Subscription | None:
    found = _current(connection, user_id, default_zone)
    return found[0] if found is not None else None


def _next_due(
    connection: Connection, user_id: int, send_time: time, zone: ZoneInfo, now: datetime
) -> datetime:
    """Next instant, skipping today when today's tip already has a ledger row."""
    delivered = stored.delivered_on(connection, user_id, local_time.local_date(zone, now))
    return local_time.next_due_after(send_time, zone, now, delivered_today=delivered)


def subscribe(
    connection: Connection,
    user_id: int,
    send_time: time,
    now: datetime,
    default_zone: ZoneInfo,
    *,
    keep_paused: bool = False,
) -> Subscription:
    """Set the daily time and turn tips on (creating the user if needed).

    `keep_paused` changes only the time of a paused subscription (/settings "Change time").
    """
    users.touch(connection, user_id, now)
    zone = effective_zone(connection, user_id, default_zone)
    due = _next_due(connection, user_id, send_time, zone, now)
    stored.upsert(connection, user_id, send_time, due, now, activate=not keep_paused)
    current = get(connection, user_id, default_zone)
    assert current is not None
    return current


def set_active(
    connection: Connection, user_id: int, active: bool, now: datetime, default_zone: ZoneInfo
) -> Subscription | None:
    """Pause or resume; resuming recomputes the next instant. None when never subscribed."""
    found = _current(connection, user_id, default_zone)
    if found is None:
        return None
    current, zone = found
    due = current.next_due_at
    if active:
        due = _next_due(connection, user_id, current.send_time, zone, now)
    stored.update_schedule(connection, user_id, active=active, next_due_at=due, now=now)
    return Subscription(user_id, current.send_time, active, due, current.timezone)


def set_timezone(
    connection: Connection, user_id: int, zone_name: str, now: datetime, default_zone: ZoneInfo
) -> Subscription | None:
    """Write users.timezone and keep the subscription's next instant in step with it."""
    users.touch(connection, user_id, now)
    users.set_timezone(connection, user_id, zone_name)
    found = _current(connection, user_id, default_zone)
    if found is None:
        return None
    current, zone = found
    due = _next_due(connection, user_id, current.send_time, zone, now)
    stored.update_schedule(connection, user_id, active=current.active, next_due_at=due, now=now)
    return Subscription(user_id, current.send_time, current.active, due, current.timezone)
