"""Discreet mode, lessons to delete and the weekly card's claim, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest

from bot.core.actions import ActionRef, Verb
from bot.core.discreet import MessageRef, Preferences
from bot.flows import actions as action_flow
from bot.flows import card as card_flow
from bot.flows import discreet
from bot.flows import subscriptions as daily_tips
from bot.flows.privacy import forget_user
from bot.storage.database import Database
from tests.storage import queries

UTC_ZONE = ZoneInfo("UTC")
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # a Tuesday


def test_toggle_and_deletion_choice_are_kept(database: Database) -> None:
    assert database.run_sync(lambda c: discreet.preferences_of(c, 1)) == Preferences()
    on = database.run_sync(lambda c: discreet.toggle(c, 1, NOW))
    assert on.discreet
    changed, chosen = database.run_sync(lambda c: discreet.set_delete_after(c, 1, 6, NOW))
    assert changed
    assert chosen == Preferences(discreet=True, delete_after_hours=6)
    again, _ = database.run_sync(lambda c: discreet.set_delete_after(c, 1, 6, NOW))
    assert not again
    off = database.run_sync(lambda c: discreet.toggle(c, 1, NOW))
    assert off == Preferences(discreet=False, delete_after_hours=6)
    with pytest.raises(ValueError, match="hours"):
        database.run_sync(lambda c: discreet.set_delete_after(c, 1, 48, NOW))


def test_only_discreet_readers_with_a_deletion_time_have_lessons_recorded(
    database: Database,
) -> None:
    database.run_sync(lambda c: discreet.set_discreet(c, 1, True, NOW))  # discreet, keeps
    database.run_sync(lambda c: discreet.set_discreet(c, 2, True, NOW))
    database.run_sync(lambda c: discreet.set_delete_after(c, 2, 1, NOW))
    database.run_sync(lambda c: discreet.set_delete_after(c, 3, 1, NOW))  # chose, not discreet
    when = {
        user: database.run_sync(
            partial(discreet.remember_lesson, user_id=user, ref=MessageRef(user, 10), now=NOW)
        )
        for user in (1, 2, 3, 4)
    }
    assert when == {1: None, 2: NOW + timedelta(hours=1), 3: None, 4: None}
    assert database.run_sync(queries.messages_to_delete) == [(2, 10)]
    assert set(database.run_sync(discreet.discreet_users)) == {1, 2}


def test_due_deletions_come_oldest_first_and_go_once_forgotten(database: Database) -> None:
    database.run_sync(lambda c: discreet.set_discreet(c, 5, True, NOW))
    database.run_sync(lambda c: discreet.set_delete_after(c, 5, 1, NOW))
    for minutes, message_id in ((30, 3), (0, 1), (10, 2)):
        at = NOW + timedelta(minutes=minutes)
        ref = MessageRef(5, message_id)
        database.run_sync(partial(discreet.remember_lesson, user_id=5, ref=ref, now=at))
    later = NOW + timedelta(hours=1, minutes=15)
    due = database.run_sync(lambda c: discreet.due_deletions(c, later, 10))
    assert due == [MessageRef(5, 1), MessageRef(5, 2)]
    database.run_sync(lambda c: discreet.forget_deleted(c, due))
    assert database.run_sync(queries.messages_to_delete) == [(5, 3)]


def test_forget_erases_preferences_pending_deletions_and_cards(database: Database) -> None:
    database.run_sync(lambda c: discreet.set_discreet(c, 7, True, NOW))
    database.run_sync(lambda c: discreet.set_delete_after(c, 7, 24, NOW))
    database.run_sync(lambda c: discreet.remember_lesson(c, 7, MessageRef(7, 1), NOW))
    database.run_sync(lambda c: card_flow.set_weekly(c, 7, True, NOW, UTC_ZONE))
    assert database.run_sync(lambda c: forget_user(c, 7))
    assert database.run_sync(lambda c: discreet.preferences_of(c, 7)) == Preferences()
    assert database.run_sync(queries.messages_to_delete) == []
    assert database.run_sync(queries.weekly_card_rows) == []


def test_weekly_card_is_claimed_once_a_week_at_the_tip_time(database: Database) -> None:
    database.run_sync(lambda c: daily_tips.subscribe(c, 9, time(8), NOW, UTC_ZONE))
    changed, choices = database.run_sync(lambda c: card_flow.set_weekly(c, 9, True, NOW, UTC_ZONE))
    assert changed
    assert choices.weekly_card

    def claim(now: datetime) -> list[card_flow.WeeklyCard]:
        return database.run_sync(lambda c: card_flow.claim_weekly_cards(c, now, UTC_ZONE))

    assert claim(NOW + timedelta(hours=3)) == []  # switching on counts this week as done
    monday = datetime(2026, 3, 16, 8, 0, tzinfo=UTC)
    assert claim(monday - timedelta(minutes=1)) == []
    won = claim(monday)
    assert won == [card_flow.WeeklyCard(9, date(2026, 3, 16), discreet=False)]
    assert claim(monday + timedelta(minutes=1)) == []  # claimed: another pass gets nothing
    database.run_sync(lambda c: card_flow.finish_weekly_card(c, won[0], True))
    assert claim(monday + timedelta(days=6, hours=15)) == []  # Sunday evening
    assert len(claim(monday + timedelta(days=7))) == 1
    statuses = [row[2] for row in database.run_sync(queries.weekly_card_rows)]
    assert statuses == ["skipped", "sent", "claimed"]


def test_weekly_card_without_daily_tips_goes_at_nine(database: Database) -> None:
    database.run_sync(lambda c: card_flow.set_weekly(c, 11, True, NOW, UTC_ZONE))
    monday = datetime(2026, 3, 16, 8, 59, tzinfo=UTC)
    assert database.run_sync(lambda c: card_flow.claim_weekly_cards(c, monday, UTC_ZONE)) == []
    nine = monday + timedelta(minutes=1)
    found = database.run_sync(lambda c: card_flow.claim_weekly_cards(c, nine, UTC_ZONE))
    assert [card.user_id for card in found] == [11]


def test_card_facts_follow_progress(database: Database, content_bank) -> None:
    facts = database.run_sync(
        lambda c: card_flow.card_of(c, content_bank, user_id=12, now=NOW, default_zone=UTC_ZONE)
    )
    assert facts.as_of == date(2026, 3, 10)
    assert facts.answered == 0
    assert facts.streak_current == 0
    assert [t.title for t in facts.topics] == [t.title for t in content_bank.topics]
    assert facts.actions_done == 0


def test_a_week_can_be_claimed_only_once(database: Database) -> None:
    """The primary key guards a week even when two passes read the same candidates."""
    from bot.storage.repositories import weekly_cards

    database.run_sync(lambda c: card_flow.set_weekly(c, 13, False, NOW, UTC_ZONE))
    database.run_sync(lambda c: daily_tips.subscribe(c, 13, time(8), NOW, UTC_ZONE))
    week = date(2026, 3, 16)
    first = database.run_sync(lambda c: weekly_cards.claim(c, 13, week, "claimed", NOW))
    second = database.run_sync(lambda c: weekly_cards.claim(c, 13, week, "claimed", NOW))
    assert (first, second) == (True, False)


def test_the_card_counts_the_actions_ticked_done(database: Database, content_bank) -> None:
    tips = [tip.id for tip in content_bank.tips[:3]]

    def tick(tip_id: str, verb: Verb) -> None:
        database.run_sync(
            lambda c: action_flow.mark(
                c, content_bank, 5, ActionRef.of_tip(tip_id), verb, NOW, UTC_ZONE
            )
        )

    tick(tips[0], Verb.DONE)
    tick(tips[1], Verb.DONE)
    tick(tips[2], Verb.SKIP)  # "Not for me" is not done
    facts = database.run_sync(
        lambda c: card_flow.card_of(c, content_bank, user_id=5, now=NOW, default_zone=UTC_ZONE)
    )
    assert facts.actions_done == 2
