"""The webhook inbox on PostgreSQL: one sender's updates start one at a time, in update_id order.

Two `Database` objects stand for two replicas (separate engines, separate connections).
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from bot.flows import updates as update_flow
from bot.storage import migrate
from bot.storage.database import Database
from tests.conftest import fresh_postgres_database

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
SENDER = 42


@pytest.fixture
def replicas() -> Iterator[tuple[Database, Database]]:
    for url in fresh_postgres_database():
        migrate.upgrade(url)
        first, second = Database(url), Database(url)
        try:
            yield first, second
        finally:
            first.close()
            second.close()


def accept(database: Database, update_id: int, lane: int = SENDER, now: datetime = NOW) -> bool:
    return database.run_sync(lambda c: update_flow.accept(c, update_id, now, lane))


def start(database: Database, update_id: int, lane: int = SENDER, now: datetime = NOW) -> bool:
    return database.run_sync(lambda c: update_flow.start_turn(c, update_id, lane, now))


def end(database: Database, update_id: int) -> None:
    database.run_sync(lambda c: update_flow.end_turn(c, update_id))


def test_a_later_update_waits_for_an_earlier_one_on_another_replica(
    replicas: tuple[Database, Database],
) -> None:
    a, b = replicas
    assert accept(a, 10)
    assert accept(b, 11)
    assert not accept(b, 10)  # a redelivery to the other replica is not queued again
    assert not start(b, 11)  # 10 is still waiting
    assert start(a, 10)
    assert not start(b, 11)  # 10 is being handled
    end(a, 10)
    assert start(b, 11)


def test_other_senders_are_not_held_up(replicas: tuple[Database, Database]) -> None:
    a, b = replicas
    accept(a, 20)
    accept(b, 21, lane=7)
    assert start(b, 21, lane=7)
    assert start(a, 20)


def test_a_dead_replicas_rows_stop_blocking_once_stale(
    replicas: tuple[Database, Database],
) -> None:
    a, b = replicas
    accept(a, 30)
    assert start(a, 30)  # ... and replica a dies here, never ending its turn
    accept(b, 31)
    assert not start(b, 31)
    later = NOW + update_flow.INBOX_STALE_AFTER + timedelta(seconds=1)
    assert start(b, 31, now=later)


def test_racing_replicas_never_start_two_updates_of_one_sender(
    replicas: tuple[Database, Database],
) -> None:
    """Updates whose order no longer binds (all waited past the stale age), started from both
    replicas at once: the per-sender lock lets exactly one of them run."""
    a, b = replicas
    ids = list(range(100, 140))
    long_ago = NOW - update_flow.INBOX_STALE_AFTER - timedelta(seconds=1)
    for update_id in ids:
        accept(a if update_id % 2 else b, update_id, now=long_ago)
    with ThreadPoolExecutor(max_workers=8) as pool:
        started = list(pool.map(lambda u: start(a if u % 2 else b, u), ids))
    assert sum(started) == 1
