"""Per-question memory as stored: which reviews are due, and in what order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.records import ReviewState
from bot.storage.database import Database
from bot.storage.repositories import memory, users

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
USER = 3


def remember(database: Database, question_id: str, due_at: datetime | None, user: int = USER):
    def work(connection):
        users.touch(connection, user, NOW - 9 * DAY)
        memory.record_answer(
            connection,
            user_id=user,
            question_id=question_id,
            topic="cctv",
            correct=due_at is None,
            review=ReviewState(None if due_at is None else 0, due_at),
            now=NOW - 9 * DAY,
        )

    database.run_sync(work)


def test_due_reviews_are_only_past_due_ones_most_overdue_first(database: Database) -> None:
    remember(database, "later", NOW + timedelta(minutes=1))
    remember(database, "b-now", NOW)
    remember(database, "old", NOW - DAY)
    remember(database, "a-now", NOW)
    remember(database, "never", None)
    remember(database, "someone-elses", NOW - 2 * DAY, user=4)
    due = database.run_sync(lambda s: memory.due_ids(s, USER, NOW, 10))
    assert due == ["old", "a-now", "b-now"]
    assert database.run_sync(lambda s: memory.count_due(s, USER, NOW)) == 3


def test_due_reviews_stop_at_the_limit(database: Database) -> None:
    for n in range(5):
        remember(database, f"q{n}", NOW - n * DAY)
    assert database.run_sync(lambda s: memory.due_ids(s, USER, NOW, 2)) == ["q4", "q3"]
