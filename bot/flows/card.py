"""The progress card: its facts for one user, the weekly-card choice, and the weekly claim."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from bot.core import local_time
from bot.core.actions import ActionStatus
from bot.core.card import CardFacts, facts_from, week_start, weekly_card_due
from bot.core.content import ContentBank
from bot.core.discreet import Preferences
from bot.flows.progress import progress_of
from bot.storage.repositories import actions, preferences, users, weekly_cards

CLAIMED, SENT, FAILED, SKIPPED = "claimed", "sent", "failed", "skipped"


def card_of(
    connection: Connection,
    bank: ContentBank,
    *,
    user_id: int,
    now: datetime,
    default_zone: ZoneInfo,
) -> CardFacts:
    """The card's facts: the same summary /progress shows, and the actions ticked "Done"."""
    summary = progress_of(connection, bank, user_id=user_id, now=now, default_zone=default_zone)
    zone = local_time.zone_of(users.timezone_of(connection, user_id), default_zone)
    done = sum(1 for s in actions.statuses(connection, user_id).values() if s is ActionStatus.DONE)
    return facts_from(summary, local_time.local_date(zone, now), actions_done=done)


def set_weekly(
    connection: Connection, user_id: int, on: bool, now: datetime, default_zone: ZoneInfo
) -> tuple[bool, Preferences]:
    """Switch the weekly card; switching on marks this week as done, so the first card comes
    at the start of next week rather than minutes after the tap (the 📊 button is for now)."""
    current = preferences.of(connection, user_id)
    if current.weekly_card == on:
        return False, current
    users.touch(connection, user_id, now)
    preferences.set_value(connection, user_id, "weekly_card", on, now)
    if on:
        zone = local_time.zone_of(users.timezone_of(connection, user_id), default_zone)
        week = week_start(local_time.local_date(zone, now))
        weekly_cards.claim(connection, user_id, week, SKIPPED, now)
    return True, preferences.of(connection, user_id)


@dataclass(frozen=True, slots=True)
class WeeklyCard:
    """A card this pass won the claim for."""

    user_id: int
    week_start: date
    discreet: bool


def claim_weekly_cards(
    connection: Connection, now: datetime, default_zone: ZoneInfo
) -> list[WeeklyCard]:
    """Claim every card due now; only the claims this call won are returned (and sent)."""
    # No zone is more than a day ahead of UTC, so no one's week starts after this Monday.
    served_from = week_start((now + timedelta(days=1)).date())
    won = []
    for reader in weekly_cards.candidates(connection, served_from):
        zone = local_time.zone_of(reader.timezone, default_zone)
        week = weekly_card_due(now, zone, reader.send_time, reader.last_week)
        if week is not None and weekly_cards.claim(connection, reader.user_id, week, CLAIMED, now):
            won.append(WeeklyCard(reader.user_id, week, reader.discreet))
    return won


def finish_weekly_card(connection: Connection, card: WeeklyCard, sent: bool) -> None:
    weekly_cards.finish(connection, card.user_id, card.week_start, SENT if sent else FAILED)
