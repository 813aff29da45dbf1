"""The daily-tip settings conversation (bot.core.tip_settings) on real SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from bot.flows import tip_settings
from bot.flows.tip_settings import AWAIT_TIME, AWAIT_ZONE, SETTINGS, SUBSCRIBE
from bot.storage.database import Database

UTC_ZONE = ZoneInfo("UTC")

NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
USER = 5


def test_subscribing_without_a_zone_then_asks_for_one(database: Database) -> None:
    database.run_sync(lambda s: tip_settings.ask_time(s, USER, NOW, flow=SUBSCRIBE))
    prompt = database.run_sync(lambda s: tip_settings.pending(s, USER, NOW))
    assert prompt is not None
    assert (prompt.awaiting, prompt.flow) == (AWAIT_TIME, SUBSCRIBE)

    sub = database.run_sync(
        lambda s: tip_settings.set_time(s, USER, time(8, 30), SUBSCRIBE, NOW, UTC_ZONE)
    )
    assert sub.active
    assert sub.send_time == time(8, 30)
    prompt = database.run_sync(lambda s: tip_settings.pending(s, USER, NOW))
    assert prompt is not None
    assert prompt.awaiting == AWAIT_ZONE

    moved = database.run_sync(
        lambda s: tip_settings.set_zone(s, USER, "Asia/Tokyo", NOW, UTC_ZONE)
    )
    assert moved is not None
    assert moved.timezone == "Asia/Tokyo"
    assert database.run_sync(lambda s: tip_settings.pending(s, USER, NOW)) is None


def test_a_time_given_with_its_zone_asks_nothing_more(database: Database) -> None:
    sub = database.run_sync(
        lambda s: tip_settings.set_time(
            s, USER, time(7, 0), SUBSCRIBE, NOW, UTC_ZONE, zone="Europe/Berlin"
        )
    )
    assert sub.timezone == "Europe/Berlin"
    assert database.run_sync(lambda s: tip_settings.pending(s, USER, NOW)) is None


def test_changing_the_time_of_a_paused_subscription_keeps_it_paused(database: Database) -> None:
    database.run_sync(
        lambda s: tip_settings.set_time(s, USER, time(8, 0), SETTINGS, NOW, UTC_ZONE)
    )
    changed, paused = database.run_sync(
        lambda s: tip_settings.toggle(s, USER, False, NOW, UTC_ZONE)
    )
    assert changed
    assert paused is not None
    assert not paused.active
    # The panel's "Change time" asks in the settings flow, because a subscription exists.
    database.run_sync(lambda s: tip_settings.ask_time(s, USER, NOW))
    prompt = database.run_sync(lambda s: tip_settings.pending(s, USER, NOW))
    assert prompt is not None
    assert prompt.flow == SETTINGS

    moved = database.run_sync(
        lambda s: tip_settings.set_time(s, USER, time(21, 0), SETTINGS, NOW, UTC_ZONE)
    )
    assert moved.send_time == time(21, 0)
    assert not moved.active


def test_double_taps_on_pause_and_stop_change_nothing(database: Database) -> None:
    assert database.run_sync(lambda s: tip_settings.stop(s, USER, NOW, UTC_ZONE)) is None
    database.run_sync(
        lambda s: tip_settings.set_time(s, USER, time(8, 0), SETTINGS, NOW, UTC_ZONE)
    )
    assert (
        database.run_sync(lambda s: tip_settings.toggle(s, USER, True, NOW, UTC_ZONE))[0] is False
    )
    stopped = database.run_sync(lambda s: tip_settings.stop(s, USER, NOW, UTC_ZONE))
    assert stopped is not None
    assert not stopped.active
    assert database.run_sync(lambda s: tip_settings.stop(s, USER, NOW, UTC_ZONE)) is None
