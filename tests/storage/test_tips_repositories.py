"""Tips, subscriptions and ledger repositories on real SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, delete, select, text

from bot.core.records import Awaiting, Prompt, PromptFlow
from bot.flows import subscriptions as daily_tips
from bot.storage.database import Database
from bot.storage.repositories import deliveries, subscriptions, tips, users
from bot.storage.tables import TIP_SUBSCRIPTIONS, USERS
from tests.storage import queries

UTC_ZONE = ZoneInfo("UTC")

NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)  # 10:00 in Berlin


def test_seen_tips_count_distinct_tips_and_views(database: Database) -> None:
    database.run_sync(lambda s: users.touch(s, 1, NOW))
    database.run_sync(lambda s: tips.mark_seen_many(s, [(1, "a"), (1, "b")], NOW))
    later = NOW + timedelta(hours=1)
    database.run_sync(lambda s: tips.mark_seen(s, 1, "a", later))
    history = database.run_sync(lambda s: tips.history(s, 1))
    assert history["a"].times_seen == 2
    assert history["a"].last_seen_at == later
    assert history["b"].times_seen == 1
    assert database.run_sync(lambda s: tips.history(s, 1)).keys() == {"a", "b"}
    assert database.run_sync(lambda s: tips.history(s, 2)) == {}


def test_a_second_claim_for_the_same_local_day_loses(database: Database) -> None:
    database.run_sync(lambda s: users.touch(s, 1, NOW))
    database.run_sync(lambda s: users.touch(s, 2, NOW))
    today = date(2026, 1, 15)
    first = [deliveries.Claim(1, today, "a"), deliveries.Claim(2, today, "a")]
    assert database.run_sync(lambda s: deliveries.claim_many(s, first, NOW)) == {1, 2}
    again = [deliveries.Claim(1, today, "b"), deliveries.Claim(1, today + timedelta(1), "b")]
    # Only the next day's claim wins; today's row (and its tip) is untouched.
    assert database.run_sync(lambda s: deliveries.claim_many(s, again, NOW)) == {1}
    assert database.run_sync(lambda s: queries.delivery_status(s, 1, today)) == "claimed"


def test_subscription_follows_the_users_time_zone(database: Database) -> None:
    sub = database.run_sync(lambda s: daily_tips.subscribe(s, 1, time(8, 30), NOW, UTC_ZONE))
    assert sub.timezone == "UTC"
    assert sub.next_due_at == datetime(2026, 1, 16, 8, 30, tzinfo=UTC)
    moved = database.run_sync(
        lambda s: daily_tips.set_timezone(s, 1, "Asia/Kolkata", NOW, UTC_ZONE)
    )
    assert moved is not None
    assert moved.next_due_at == datetime(2026, 1, 16, 3, 0, tzinfo=UTC)
    assert database.run_sync(lambda s: users.timezone_of(s, 1)) == "Asia/Kolkata"
    # A zone name that no longer exists falls back to the default instead of crashing.
    database.run_sync(
        lambda s: s.execute(text("UPDATE users SET timezone = 'Mars/Base' WHERE id = 1"))
    )
    fallback = database.run_sync(lambda s: daily_tips.get(s, 1, UTC_ZONE))
    assert fallback is not None
    assert fallback.timezone == "UTC"


def test_changing_the_time_after_todays_tip_waits_for_tomorrow(database: Database) -> None:
    database.run_sync(lambda s: daily_tips.subscribe(s, 1, time(8, 0), NOW, UTC_ZONE))
    claim = deliveries.Claim(1, NOW.date(), "a")
    database.run_sync(lambda s: deliveries.claim_many(s, [claim], NOW))
    later = database.run_sync(lambda s: daily_tips.subscribe(s, 1, time(20, 0), NOW, UTC_ZONE))
    assert later.next_due_at == datetime(2026, 1, 16, 20, 0, tzinfo=UTC)


def test_pause_keeps_the_time_and_resume_recomputes(database: Database) -> None:
    database.run_sync(lambda s: daily_tips.subscribe(s, 1, time(12, 0), NOW, UTC_ZONE))
    paused = database.run_sync(lambda s: daily_tips.set_active(s, 1, False, NOW, UTC_ZONE))
    assert paused is not None
    assert not paused.active
    changed = database.run_sync(
        lambda s: daily_tips.subscribe(s, 1, time(13, 0), NOW, UTC_ZONE, keep_paused=True)
    )
    assert not changed.active
    assert changed.send_time == time(13, 0)
    resumed = database.run_sync(
        lambda s: daily_tips.set_active(s, 1, True, NOW + timedelta(days=2), UTC_ZONE)
    )
    assert resumed is not None
    assert resumed.next_due_at == datetime(2026, 1, 17, 13, 0, tzinfo=UTC)
    assert database.run_sync(lambda s: daily_tips.set_active(s, 9, True, NOW, UTC_ZONE)) is None


def test_prompts_expire_after_half_an_hour(database: Database) -> None:
    database.run_sync(lambda s: subscriptions.ask(s, 1, Awaiting.TIME, PromptFlow.SUBSCRIBE, NOW))
    soon = database.run_sync(lambda s: subscriptions.prompt_of(s, 1, NOW + timedelta(minutes=5)))
    assert soon == Prompt(Awaiting.TIME, PromptFlow.SUBSCRIBE)
    late = NOW + timedelta(minutes=31)
    assert database.run_sync(lambda s: subscriptions.prompt_of(s, 1, late)) is None


def test_due_query_uses_the_partial_index(database: Database) -> None:
    def subscribe_many(connection: Connection) -> None:
        for user_id in range(1, 50):
            daily_tips.subscribe(connection, user_id, time(9), NOW, UTC_ZONE)

    database.run_sync(subscribe_many)
    statement = (
        select(TIP_SUBSCRIPTIONS.c.user_id)
        .where(TIP_SUBSCRIPTIONS.c.active, TIP_SUBSCRIPTIONS.c.next_due_at <= NOW)
        .order_by(TIP_SUBSCRIPTIONS.c.next_due_at)
        .limit(10)
    )
    engine = database.engine
    compiled = statement.compile(engine, compile_kwargs={"literal_binds": True})
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("SET enable_seqscan = off")  # tiny table: force the choice
        plan = " ".join(str(row) for row in connection.exec_driver_sql(prefix + str(compiled)))
    assert "ix_tip_subscriptions_due" in plan


def test_forgetting_a_user_removes_their_tip_data(database: Database) -> None:
    database.run_sync(lambda s: daily_tips.subscribe(s, 1, time(9), NOW, UTC_ZONE))
    database.run_sync(lambda s: tips.mark_seen(s, 1, "a", NOW))
    database.run_sync(lambda s: subscriptions.ask(s, 1, Awaiting.ZONE, PromptFlow.SETTINGS, NOW))
    claim = deliveries.Claim(1, NOW.date(), "a")
    database.run_sync(lambda s: deliveries.claim_many(s, [claim], NOW))
    database.run_sync(lambda s: s.execute(delete(USERS).where(USERS.c.id == 1)))
    assert database.run_sync(lambda s: daily_tips.get(s, 1, UTC_ZONE)) is None
    assert database.run_sync(lambda s: tips.history(s, 1)) == {}
    assert database.run_sync(queries.ledger_statuses) == {}
    assert database.run_sync(lambda s: subscriptions.prompt_of(s, 1, NOW)) is None


def test_released_claims_make_only_their_subscribers_due_again(database: Database) -> None:
    def subscribe_three(connection: Connection) -> None:
        for user_id in (1, 2, 3):
            daily_tips.subscribe(connection, user_id, time(8, 0), NOW, UTC_ZONE)

    database.run_sync(subscribe_three)
    tomorrow = datetime(2026, 1, 16, 8, 0, tzinfo=UTC)
    today = date(2026, 1, 15)
    claims = [deliveries.Claim(1, today, "a"), deliveries.Claim(2, today, "a")]
    database.run_sync(lambda s: deliveries.claim_many(s, claims, NOW))

    later = NOW + timedelta(minutes=5)
    database.run_sync(lambda s: deliveries.release(s, claims[:1], later))

    assert database.run_sync(lambda s: queries.delivery_status(s, 1, today)) is None
    assert database.run_sync(lambda s: queries.delivery_status(s, 2, today)) == "claimed"

    def next_due(connection: Connection) -> dict[int, datetime]:
        found = {u: daily_tips.get(connection, u, UTC_ZONE) for u in (1, 2, 3)}
        return {u: sub.next_due_at for u, sub in found.items() if sub is not None}

    assert database.run_sync(next_due) == {
        1: later,
        2: tomorrow,
        3: tomorrow,
    }
