"""The daily-tip settings conversation: what we asked the user, and each change that answers it.

Every function is one transaction's work. What we are waiting for ("time" or "zone") is stored
(`tip_prompts`), so a restart between the question and the answer loses nothing; each change
also clears or sets that prompt, so typed text is read as an answer only while one is pending.
The handlers turn the results into replies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from bot.core.records import Awaiting, Prompt, PromptFlow, Subscription
from bot.flows import subscriptions as daily_tips
from bot.storage.repositories import subscriptions, users

SUBSCRIBE, SETTINGS = PromptFlow.SUBSCRIBE, PromptFlow.SETTINGS
AWAIT_TIME, AWAIT_ZONE = Awaiting.TIME, Awaiting.ZONE


@dataclass(frozen=True, slots=True)
class Situation:
    """What is pending and what is stored, read together before acting on a button."""

    prompt: Prompt | None
    subscription: Subscription | None


def pending(connection: Connection, user_id: int, now: datetime) -> Prompt | None:
    """The question the user's next typed text answers, if any (expired prompts are none)."""
    return subscriptions.prompt_of(connection, user_id, now)


def situation(
    connection: Connection, user_id: int, now: datetime, default_zone: ZoneInfo
) -> Situation:
    return Situation(
        subscriptions.prompt_of(connection, user_id, now),
        daily_tips.get(connection, user_id, default_zone),
    )


def panel(
    connection: Connection, user_id: int, default_zone: ZoneInfo
) -> tuple[Subscription | None, str]:
    """The settings panel's data: the subscription (if any) and the zone in effect."""
    found = daily_tips.get(connection, user_id, default_zone)
    return found, daily_tips.effective_zone(connection, user_id, default_zone).key


def current_zone(connection: Connection, user_id: int) -> str | None:
    """The zone the user chose (None: they never chose one)."""
    return users.timezone_of(connection, user_id)


def ask_time(
    connection: Connection, user_id: int, now: datetime, *, flow: PromptFlow | None = None
) -> None:
    """Wait for a typed time. Without a `flow`: moving the subscription if there is one,
    else starting one."""
    if flow is None:
        subscribed = subscriptions.get(connection, user_id) is not None
        flow = SETTINGS if subscribed else SUBSCRIBE
    subscriptions.ask(connection, user_id, AWAIT_TIME, flow, now)


def ask_zone(connection: Connection, user_id: int, now: datetime, default_zone: ZoneInfo) -> str:
    """Wait for a typed zone from the settings panel; returns the zone in effect now."""
    subscriptions.ask(connection, user_id, AWAIT_ZONE, SETTINGS, now)
    return daily_tips.effective_zone(connection, user_id, default_zone).key


def set_time(
    connection: Connection,
    user_id: int,
    send_time: time,
    flow: PromptFlow,
    now: datetime,
    default_zone: ZoneInfo,
    *,
    zone: str | None = None,
) -> Subscription:
    """Store the time (and zone, if given). A new subscription without a zone then asks for one;
    from the settings panel, a paused subscription stays paused."""
    if zone is not None:
        daily_tips.set_timezone(connection, user_id, zone, now, default_zone)
    sub = daily_tips.subscribe(
        connection, user_id, send_time, now, default_zone, keep_paused=flow == SETTINGS
    )
    if flow == SUBSCRIBE and zone is None:
        subscriptions.ask(connection, user_id, AWAIT_ZONE, SUBSCRIBE, now)
    else:
        subscriptions.clear_prompt(connection, user_id)
    return sub


def set_zone(
    connection: Connection, user_id: int, zone: str, now: datetime, default_zone: ZoneInfo
) -> Subscription | None:
    """Store the zone (the answer to any pending question); None when not subscribed."""
    subscriptions.clear_prompt(connection, user_id)
    return daily_tips.set_timezone(connection, user_id, zone, now, default_zone)


def keep_zone(
    connection: Connection, user_id: int, now: datetime, default_zone: ZoneInfo
) -> Situation:
    """ "Keep this zone": close the question; says what was pending and what is stored."""
    prompt = subscriptions.prompt_of(connection, user_id, now)
    subscriptions.clear_prompt(connection, user_id)
    return Situation(prompt, daily_tips.get(connection, user_id, default_zone))


def stop(
    connection: Connection, user_id: int, now: datetime, default_zone: ZoneInfo
) -> Subscription | None:
    """Turn daily tips off; None when they were not on (so a double tap says so)."""
    current = daily_tips.get(connection, user_id, default_zone)
    if current is None or not current.active:
        return None
    subscriptions.clear_prompt(connection, user_id)
    return daily_tips.set_active(connection, user_id, False, now, default_zone)


def toggle(
    connection: Connection, user_id: int, active: bool, now: datetime, default_zone: ZoneInfo
) -> tuple[bool, Subscription | None]:
    """Pause or resume; (changed, subscription). A double tap changes nothing."""
    current = daily_tips.get(connection, user_id, default_zone)
    if current is None or current.active == active:
        return False, current
    return True, daily_tips.set_active(connection, user_id, active, now, default_zone)
