"""Retrying a quiz's mistakes, and /review with nothing due, against a real database."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.core.content import ContentBank
from bot.core.quiz_results import (
    AlreadyRunning,
    Graded,
    NextReview,
    NothingReason,
    NothingToAsk,
    QuestionToSend,
    QuizFinished,
    QuizKind,
    Started,
)
from bot.flows import quiz as quiz_flow
from bot.storage.database import Database
from bot.storage.repositories import memory, users
from bot.storage.tables import ANSWERS

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
UTC_ZONE = ZoneInfo("UTC")
USER = 7
OTHER = 8


def start(db: Database, bank: ContentBank, user: int = USER) -> Started:
    return db.run_sync(
        lambda s: quiz_flow.start_quiz(
            s, bank, user_id=user, topic="cctv", now=NOW, rng=random.Random(5)
        )
    )


def retry(db: Database, bank: ContentBank, quiz_id: int, user: int = USER, now: datetime = NOW):
    return db.run_sync(
        lambda s: quiz_flow.start_retry(s, bank, user_id=user, quiz_id=quiz_id, now=now)
    )


def review(db: Database, bank: ContentBank, now: datetime, zone: ZoneInfo = UTC_ZONE) -> Started:
    return db.run_sync(
        lambda s: quiz_flow.start_review(s, bank, user_id=USER, now=now, default_zone=zone)
    )


def play(
    db: Database,
    bank: ContentBank,
    first: Started,
    right: list[bool],
    user: int = USER,
    poll_prefix: str = "",
) -> QuizFinished:
    """Answer every question of a started quiz: right or wrong as listed."""
    current: Started | QuizFinished = first
    for n, is_right in enumerate(right):
        assert isinstance(current, QuestionToSend)
        current = answer_one(
            db, bank, current, f"{poll_prefix}{current.kind}-{current.quiz_id}-{n}", is_right, user
        )
    assert isinstance(current, QuizFinished)
    return current


def answer_one(
    db: Database, bank: ContentBank, asked: QuestionToSend, poll_id: str, right: bool, user: int
) -> QuestionToSend | QuizFinished:
    question = asked.question
    db.run_sync(lambda s: quiz_flow.record_poll(s, poll_id=poll_id, user_id=user, question=asked))
    option = question.correct if right else (question.correct + 1) % len(question.options)
    graded = db.run_sync(
        lambda s: quiz_flow.answer(
            s,
            bank,
            poll_id=poll_id,
            user_id=user,
            option_ids=[option],
            now=NOW,
            default_zone=UTC_ZONE,
        )
    )
    assert isinstance(graded, Graded)
    return graded.next


def logged_answers(db: Database) -> int:
    return int(db.run_sync(lambda c: c.scalar(select(func.count()).select_from(ANSWERS))) or 0)


def test_retry_asks_exactly_the_missed_questions_and_leaves_the_ladder(
    database: Database, content_bank
) -> None:
    finished = play(
        database, content_bank, start(database, content_bank), [True, False, True, False, True]
    )
    missed = [q.id for q in finished.missed]
    assert len(missed) == 2
    before = database.run_sync(lambda c: memory.for_user(c, USER))
    log_before = logged_answers(database)

    again = retry(database, content_bank, finished.quiz_id)
    assert isinstance(again, QuestionToSend)
    assert (again.kind, again.total, again.question.id) == (QuizKind.RETRY, 2, missed[0])
    result = play(database, content_bank, again, [True, True])
    assert (result.kind, result.score, result.total) == (QuizKind.RETRY, 2, 2)

    # Right answers a minute after the miss are not recall: memory and log stay as they were.
    assert database.run_sync(lambda c: memory.for_user(c, USER)) == before
    assert logged_answers(database) == log_before
    for question_id in missed:
        assert before[question_id].review_step == 0
        assert before[question_id].review_due_at == NOW + timedelta(days=1)

    # ... so the next day's review still serves both.
    due = review(database, content_bank, NOW + timedelta(days=1, minutes=1))
    assert isinstance(due, QuestionToSend)
    assert due.total == 2
    assert due.question.id in missed


def test_stale_or_forged_retry_starts_nothing(database: Database, content_bank) -> None:
    mine = play(
        database, content_bank, start(database, content_bank), [False, True, True, True, True]
    )
    theirs = play(
        database,
        content_bank,
        start(database, content_bank, OTHER),
        [False, False, True, True, True],
        OTHER,
    )
    nothing = NothingToAsk(NothingReason.NOTHING_TO_RETRY)
    assert retry(database, content_bank, theirs.quiz_id) == nothing  # someone else's quiz
    assert retry(database, content_bank, 999_999) == nothing  # a made-up id

    first = retry(database, content_bank, mine.quiz_id)
    assert isinstance(first, QuestionToSend)
    database.run_sync(
        lambda s: quiz_flow.record_poll(s, poll_id="sent", user_id=USER, question=first)
    )
    # A double tap is the same start; a tap after answering is a stale button.
    assert retry(database, content_bank, mine.quiz_id) == AlreadyRunning(first.quiz_id)
    play(database, content_bank, first, [True], poll_prefix="tap")
    assert retry(database, content_bank, mine.quiz_id) == nothing
    # A newer quiz makes the old summary's button stale too.
    start(database, content_bank)
    assert retry(database, content_bank, mine.quiz_id) == nothing


def test_a_quiz_without_misses_has_nothing_to_retry(database: Database, content_bank) -> None:
    perfect = play(database, content_bank, start(database, content_bank), [True] * 5)
    assert retry(database, content_bank, perfect.quiz_id) == NothingToAsk(
        NothingReason.NOTHING_TO_RETRY
    )


def test_nothing_due_names_the_next_review_in_the_users_zone(
    database: Database, content_bank
) -> None:
    assert review(database, content_bank, NOW) == NothingToAsk(NothingReason.NO_REVIEWS, None)
    play(database, content_bank, start(database, content_bank), [True, True, True, True, False])
    database.run_sync(lambda c: users.set_timezone(c, USER, "Asia/Kolkata"))
    kolkata = ZoneInfo("Asia/Kolkata")
    found = review(database, content_bank, NOW + timedelta(hours=2))
    assert isinstance(found, NothingToAsk)
    assert found.next_review == NextReview(
        at=(NOW + timedelta(days=1)).astimezone(kolkata), today=NOW.date()
    )
    assert found.next_review is not None
    assert found.next_review.at.utcoffset() == timedelta(hours=5, minutes=30)
