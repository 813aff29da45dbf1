"""The one-statement read behind /progress, on real SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.storage.database import Database
from bot.storage.repositories import progress, reading, tips, users

NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)


def test_facts_hold_only_this_users_zone_reads_and_tips(database: Database) -> None:
    database.run_sync(lambda s: users.touch(s, 1, NOW))
    database.run_sync(lambda s: users.touch(s, 2, NOW))
    database.run_sync(lambda s: users.set_timezone(s, 1, "Asia/Kolkata"))
    database.run_sync(lambda s: reading.mark_read(s, 1, "cctv", NOW))
    database.run_sync(lambda s: reading.mark_read(s, 1, "cctv", NOW))  # counted once
    database.run_sync(lambda s: reading.mark_read(s, 1, "skynet", NOW))
    database.run_sync(lambda s: tips.mark_seen_many(s, [(1, "a"), (1, "b"), (2, "c")], NOW))
    database.run_sync(lambda s: reading.mark_read(s, 2, "clearview", NOW))

    facts = database.run_sync(lambda s: progress.facts_of(s, 1))

    assert facts.timezone == "Asia/Kolkata"
    assert facts.explainers_read == {"cctv", "skynet"}
    assert facts.tips_seen == {"a", "b"}


def test_a_user_without_a_row_has_empty_facts(database: Database) -> None:
    facts = database.run_sync(lambda s: progress.facts_of(s, 99))
    assert (facts.timezone, facts.explainers_read, facts.tips_seen) == (None, set(), set())
