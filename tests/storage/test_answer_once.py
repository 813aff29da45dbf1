"""The exactly-once claim itself: two deliveries of one poll answer grade it once.

Telegram may deliver a poll answer twice, and with several replicas (or a retry racing the
first attempt) both copies can be read before either is written. Only the claim's conditional
update stands between that and a question counted twice.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.content import ContentBank
from bot.core.quiz_results import QuestionToSend
from bot.flows import quiz as quiz_flow
from bot.storage import migrate
from bot.storage.database import Database
from bot.storage.repositories import memory, quizzes
from tests.conftest import fresh_postgres_database

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
USER = 5


@pytest.fixture
def postgres() -> Iterator[Database]:
    """PostgreSQL only: SQLite serialises whole transactions, so the race cannot happen there."""
    for url in fresh_postgres_database():
        migrate.upgrade(url)
        database = Database(url)
        yield database
        database.close()


def _first_question(db: Database, bank: ContentBank) -> QuestionToSend:
    first = db.run_sync(
        lambda c: quiz_flow.start_quiz(
            c, bank, user_id=USER, topic="cctv", now=NOW, rng=random.Random(3)
        )
    )
    assert isinstance(first, QuestionToSend)
    db.run_sync(lambda c: quiz_flow.record_poll(c, poll_id="p1", user_id=USER, question=first))
    return first


def test_a_second_claim_of_one_poll_is_refused(database: Database, content_bank) -> None:
    _first_question(database, content_bank)

    def claim(option: int) -> bool:
        return database.run_sync(lambda c: quizzes.claim_poll_answer(c, "p1", option, NOW))

    assert [claim(0), claim(1)] == [True, False]


def test_two_copies_read_together_are_graded_once(
    postgres: Database, content_bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _first_question(postgres, content_bank)
    both_read = threading.Barrier(2, timeout=10)
    real_find_poll = quizzes.find_poll

    def find_then_wait(connection, poll_id):  # both copies see the poll unanswered
        found = real_find_poll(connection, poll_id)
        both_read.wait()
        return found

    monkeypatch.setattr(quizzes, "find_poll", find_then_wait)

    def deliver() -> object:
        return postgres.run_sync(
            lambda c: quiz_flow.answer(
                c,
                content_bank,
                poll_id="p1",
                user_id=USER,
                option_ids=[first.question.correct],
                now=NOW,
                default_zone=ZoneInfo("UTC"),
            )
        )

    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(lambda _: deliver(), range(2)))
    assert sorted(type(o).__name__ for o in outcomes) == ["AlreadyGraded", "Graded"]
    remembered = postgres.run_sync(lambda c: memory.for_user(c, USER).get(first.question.id))
    assert remembered is not None
    assert remembered.answered == 1
