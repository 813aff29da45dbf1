"""Discreet mode: toggle it, choose when lessons delete themselves, and track those lessons."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection

from bot.core.discreet import DELETE_AFTER_HOURS, MessageRef, Preferences
from bot.storage.repositories import deletions, preferences, users


def preferences_of(connection: Connection, user_id: int) -> Preferences:
    return preferences.of(connection, user_id)


def toggle(connection: Connection, user_id: int, now: datetime) -> Preferences:
    """/discreet: on if it was off, off if it was on."""
    current = preferences.of(connection, user_id)
    return set_discreet(connection, user_id, not current.discreet, now)[1]


def set_discreet(
    connection: Connection, user_id: int, on: bool, now: datetime
) -> tuple[bool, Preferences]:
    """Turn discreet mode on or off; (whether anything changed, the choices now)."""
    current = preferences.of(connection, user_id)
    if current.discreet == on:
        return False, current
    users.touch(connection, user_id, now)
    preferences.set_value(connection, user_id, "discreet", on, now)
    return True, preferences.of(connection, user_id)


def set_delete_after(
    connection: Connection, user_id: int, hours: int | None, now: datetime
) -> tuple[bool, Preferences]:
    """Choose when lessons delete themselves (None: keep them)."""
    if hours is not None and hours not in DELETE_AFTER_HOURS:
        raise ValueError(f"lessons delete after {DELETE_AFTER_HOURS} hours, not {hours}")
    current = preferences.of(connection, user_id)
    if current.delete_after_hours == hours:
        return False, current
    users.touch(connection, user_id, now)
    preferences.set_value(connection, user_id, "delete_after_hours", hours, now)
    return True, preferences.of(connection, user_id)


def discreet_users(connection: Connection) -> dict[int, Preferences]:
    return preferences.discreet_users(connection)


def remember_lesson(
    connection: Connection, user_id: int, ref: MessageRef, now: datetime
) -> datetime | None:
    """Record a lesson just sent, if this user wants lessons to delete themselves; when."""
    return remember_with(connection, user_id, preferences.of(connection, user_id), ref, now)


def remember_with(
    connection: Connection,
    user_id: int,
    choices: Preferences,
    ref: MessageRef,
    now: datetime,
) -> datetime | None:
    """`remember_lesson` with choices already read (the delivery pass reads them once)."""
    delete_at = choices.delete_at(now)
    if delete_at is not None:
        deletions.add(connection, user_id, ref, delete_at)
    return delete_at


def due_deletions(connection: Connection, now: datetime, limit: int) -> list[MessageRef]:
    return deletions.due(connection, now, limit)


def forget_deleted(connection: Connection, refs: Sequence[MessageRef]) -> None:
    deletions.remove(connection, refs)
