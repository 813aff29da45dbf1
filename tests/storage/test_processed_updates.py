"""Webhook dedupe in the database: an update id is accepted once, old ids are pruned.

Runs on SQLite and PostgreSQL: the claim is the one statement that lets several replicas
behind a load balancer share the work without handling an update twice.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.flows import updates as update_flow
from bot.storage.database import Database
from bot.storage.tables import PROCESSED_UPDATES

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def test_an_update_id_is_accepted_once(database: Database) -> None:
    first = database.run_sync(lambda c: update_flow.accept(c, 100_001, NOW))
    again = database.run_sync(lambda c: update_flow.accept(c, 100_001, NOW + timedelta(1)))
    other = database.run_sync(lambda c: update_flow.accept(c, 100_002, NOW))
    assert (first, again, other) == (True, False, True)


def test_racing_replicas_accept_an_update_once(database: Database) -> None:
    """Eight workers claim the same ids at once (threads, separate connections on Postgres)."""

    def claim(update_id: int) -> bool:
        return database.run_sync(lambda c: update_flow.accept(c, update_id, NOW))

    def claim_all(_worker: int) -> int:
        return sum(claim(update_id) for update_id in range(50))

    with ThreadPoolExecutor(max_workers=8) as pool:
        accepted = sum(pool.map(claim_all, range(8)))
    assert accepted == 50


def test_only_ids_older_than_a_day_are_pruned(database: Database) -> None:
    old = NOW - update_flow.KEEP_PROCESSED_FOR - timedelta(seconds=1)
    recent = NOW - update_flow.KEEP_PROCESSED_FOR + timedelta(seconds=1)
    database.run_sync(lambda c: update_flow.accept(c, 1, old))
    database.run_sync(lambda c: update_flow.accept(c, 2, recent))
    assert database.run_sync(lambda c: update_flow.forget_old(c, NOW)) == 1
    kept = database.run_sync(lambda c: list(c.scalars(select(PROCESSED_UPDATES.c.update_id))))
    assert kept == [2]
    # A pruned id is no longer known, so only ids older than the retention can come back.
    assert database.run_sync(lambda c: update_flow.accept(c, 1, NOW)) is True


def test_only_the_id_and_time_are_stored() -> None:
    assert [column.name for column in PROCESSED_UPDATES.columns] == ["update_id", "received_at"]


def test_the_database_answers_the_health_probe(database: Database) -> None:
    assert database.run_sync(update_flow.database_answers) is True
