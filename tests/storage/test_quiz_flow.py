"""Quiz flow against a real database: each answer graded once, whatever Telegram replays."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.content import ContentBank
from bot.core.quiz_results import (
    AlreadyGraded,
    AlreadyRunning,
    Graded,
    NothingReason,
    NothingToAsk,
    NotOurs,
    QuestionToSend,
    QuizFinished,
    QuizOver,
    Retracted,
    Skipped,
)
from bot.flows import quiz as quiz_flow
from bot.flows.privacy import forget_user
from bot.storage.database import Database
from bot.storage.repositories import memory, reading
from tests.storage import queries

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
UTC_ZONE = ZoneInfo("UTC")
USER = 5


@pytest.fixture
def db(database: Database) -> Database:
    return database


def start(db: Database, bank: ContentBank, now: datetime = NOW, topic: str = "cctv"):
    return db.run_sync(
        lambda s: quiz_flow.start_quiz(
            s, bank, user_id=USER, topic=topic, now=now, rng=random.Random(3)
        )
    )


def start_review(db: Database, bank: ContentBank, now: datetime):
    return db.run_sync(
        lambda s: quiz_flow.start_review(s, bank, user_id=USER, now=now, default_zone=UTC_ZONE)
    )


def send(db: Database, question: QuestionToSend, poll_id: str) -> None:
    db.run_sync(
        lambda s: quiz_flow.record_poll(s, poll_id=poll_id, user_id=USER, question=question)
    )


def vote(db: Database, bank: ContentBank, poll_id: str, options: list[int], user: int = USER):
    return db.run_sync(
        lambda s: quiz_flow.answer(
            s,
            bank,
            poll_id=poll_id,
            user_id=user,
            option_ids=options,
            now=NOW,
            default_zone=UTC_ZONE,
        )
    )


def test_full_quiz_grades_each_answer_and_finishes(db: Database, content_bank) -> None:
    current = start(db, content_bank)
    assert isinstance(current, QuestionToSend)
    results = []
    for n in range(5):
        send(db, current, f"p{n}")
        right = current.question.correct if n % 2 == 0 else (current.question.correct + 1) % 3
        outcome = vote(db, content_bank, f"p{n}", [right])
        assert isinstance(outcome, Graded)
        results.append(outcome.correct)
        current = outcome.next
    assert isinstance(current, QuizFinished)
    assert (current.score, current.total, len(current.missed)) == (3, 5, 2)
    assert results == [True, False, True, False, True]
    assert db.run_sync(lambda s: reading.active_days(s, USER)) == [NOW.date()]


def test_replayed_answer_is_graded_once(db: Database, content_bank) -> None:
    first = start(db, content_bank)
    assert isinstance(first, QuestionToSend)
    send(db, first, "p1")
    assert isinstance(vote(db, content_bank, "p1", [first.question.correct]), Graded)
    assert isinstance(vote(db, content_bank, "p1", [first.question.correct]), AlreadyGraded)
    remembered = db.run_sync(lambda s: memory.for_user(s, USER).get(first.question.id))
    assert remembered is not None
    assert remembered.answered == 1


def test_retracted_foreign_and_unknown_polls_change_nothing(db: Database, content_bank) -> None:
    first = start(db, content_bank)
    assert isinstance(first, QuestionToSend)
    send(db, first, "p1")
    assert isinstance(vote(db, content_bank, "p1", []), Retracted)
    assert isinstance(vote(db, content_bank, "p1", [0], user=999), NotOurs)
    assert isinstance(vote(db, content_bank, "nope", [0]), NotOurs)
    assert db.run_sync(lambda s: memory.for_user(s, USER)) == {}


def test_answer_to_an_abandoned_quiz_is_not_graded(db: Database, content_bank) -> None:
    old = start(db, content_bank)
    assert isinstance(old, QuestionToSend)
    send(db, old, "old")
    fresh = start(db, content_bank, now=NOW + timedelta(minutes=5), topic="clearview")
    assert isinstance(fresh, QuestionToSend)
    assert isinstance(vote(db, content_bank, "old", [0]), QuizOver)
    assert db.run_sync(lambda s: memory.for_user(s, USER)) == {}


def test_double_tap_on_start_starts_one_quiz(db: Database, content_bank) -> None:
    first = start(db, content_bank)
    assert isinstance(first, QuestionToSend)
    send(db, first, "p0")
    again = start(db, content_bank, now=NOW + timedelta(seconds=2))
    assert again == AlreadyRunning(first.quiz_id)
    later = start(db, content_bank, now=NOW + timedelta(minutes=2))
    assert isinstance(later, QuestionToSend)
    assert later.quiz_id != first.quiz_id


def test_review_serves_missed_questions_when_due(db: Database, content_bank) -> None:
    first = start(db, content_bank)
    assert isinstance(first, QuestionToSend)
    send(db, first, "p1")
    vote(db, content_bank, "p1", [(first.question.correct + 1) % 3])
    too_early = start_review(db, content_bank, NOW)
    assert isinstance(too_early, NothingToAsk)
    assert too_early.reason is NothingReason.NO_REVIEWS
    due = start_review(db, content_bank, NOW + timedelta(days=1))
    assert isinstance(due, QuestionToSend)
    assert (due.question.id, due.total) == (first.question.id, 1)


def test_forget_user_erases_everything(db: Database, content_bank) -> None:
    first = start(db, content_bank)
    assert isinstance(first, QuestionToSend)
    send(db, first, "p1")
    vote(db, content_bank, "p1", [0])
    assert db.run_sync(lambda s: forget_user(s, USER)) is True
    assert db.run_sync(lambda s: queries.user_exists(s, USER)) is False
    assert db.run_sync(lambda s: memory.for_user(s, USER)) == {}
    assert isinstance(vote(db, content_bank, "p1", [0]), NotOurs)
    assert db.run_sync(lambda s: forget_user(s, USER)) is False


def test_start_again_sends_a_question_when_the_first_poll_never_went_out(
    db: Database, content_bank
) -> None:
    first = start(db, content_bank)  # ... and then sending its poll failed
    retry = start(db, content_bank, now=NOW + timedelta(seconds=2))
    assert isinstance(first, QuestionToSend)
    assert isinstance(retry, QuestionToSend)
    assert retry.quiz_id != first.quiz_id


def test_an_answer_to_a_lost_poll_sends_the_question_again(db: Database, content_bank) -> None:
    first = start(db, content_bank)
    assert isinstance(first, QuestionToSend)
    # The first poll's send timed out after Telegram delivered it: no record, but an answer.
    assert vote(db, content_bank, "never-recorded", [0]) == NotOurs(resend=first)


def test_an_old_quizs_poll_does_not_resend_a_question_already_out(
    db: Database, content_bank
) -> None:
    first = start(db, content_bank)
    assert isinstance(first, QuestionToSend)
    send(db, first, "p1")
    assert vote(db, content_bank, "from-a-deleted-quiz", [0]) == NotOurs()


def test_a_question_removed_mid_quiz_is_skipped_and_the_quiz_goes_on(
    db: Database, content_bank
) -> None:
    from dataclasses import replace

    first = start(db, content_bank)
    assert isinstance(first, QuestionToSend)
    send(db, first, "p0")
    gone = {first.question.id}
    smaller = replace(
        content_bank, questions=tuple(q for q in content_bank.questions if q.id not in gone)
    )
    outcome = vote(db, smaller, "p0", [0])
    assert isinstance(outcome, Skipped)
    assert isinstance(outcome.next, QuestionToSend)
    assert outcome.next.position == 1


def test_old_finished_quizzes_are_deleted_when_a_new_one_starts(
    db: Database, content_bank
) -> None:

    first = start(db, content_bank)
    assert isinstance(first, QuestionToSend)
    start(db, content_bank, now=NOW + timedelta(minutes=1), topic="clearview")  # finishes first
    start(db, content_bank, now=NOW + timedelta(days=8), topic="rights")
    assert db.run_sync(lambda s: queries.quiz_exists(s, first.quiz_id)) is False


def test_a_missed_question_answered_right_in_review_climbs_the_ladder(
    db: Database, content_bank
) -> None:
    first = start(db, content_bank)
    assert isinstance(first, QuestionToSend)
    send(db, first, "p1")
    wrong = (first.question.correct + 1) % len(first.question.options)
    assert isinstance(vote(db, content_bank, "p1", [wrong]), Graded)

    later = NOW + timedelta(days=1, minutes=1)
    review = start_review(db, content_bank, later)
    assert isinstance(review, QuestionToSend)
    assert review.question.id == first.question.id
    send(db, review, "r1")
    assert isinstance(vote(db, content_bank, "r1", [review.question.correct]), Graded)

    remembered = db.run_sync(lambda s: memory.for_user(s, USER)[first.question.id])
    assert (remembered.answered, remembered.correct) == (2, 1)
    assert (remembered.review_step, remembered.review_due_at) == (1, NOW + timedelta(days=3))
