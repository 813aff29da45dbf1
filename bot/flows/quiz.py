"""Running a quiz or review: start it, grade each answer once, finish with a summary.

Every step reads and writes the database inside the caller's transaction, so the quiz survives
a restart, and every step is guarded so a replayed or late update changes nothing twice.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from bot.core import local_time
from bot.core.content import ContentBank, Question
from bot.core.quiz_results import (
    AlreadyGraded,
    AlreadyRunning,
    AnswerOutcome,
    Graded,
    LostQuestion,
    NextReview,
    NothingReason,
    NothingToAsk,
    NotOurs,
    QuestionToSend,
    QuizFinished,
    QuizKind,
    QuizOver,
    Retracted,
    Skipped,
    Started,
)
from bot.core.quizzes import (
    QUIZ_LENGTH,
    REVIEW_LENGTH,
    is_correct,
    moves_ladder,
    next_review,
    select_questions,
)
from bot.core.records import Memory
from bot.storage.repositories import answers, memory, quizzes, reading, users

QUIZ = QuizKind.QUIZ
REVIEW = QuizKind.REVIEW
RETRY = QuizKind.RETRY
# Two "start" taps this close together, before any answer, are one start (a double tap).
DOUBLE_TAP_WINDOW = timedelta(seconds=30)
# Finished quizzes (and their polls) are kept this long, then deleted when the user starts anew.
FINISHED_QUIZ_RETENTION = timedelta(days=7)


def start_quiz(
    connection: Connection,
    bank: ContentBank,
    *,
    user_id: int,
    topic: str | None,
    now: datetime,
    rng: random.Random,
) -> Started:
    """Start a quiz of QUIZ_LENGTH questions from one topic (or all), unseen questions first."""
    candidates = bank.quiz_questions(topic, now.date())
    if not candidates:
        return NothingToAsk(NothingReason.NO_QUESTIONS)
    duplicate = _duplicate_start(connection, user_id, QUIZ, topic, now)
    if duplicate is not None:
        return duplicate
    chosen = select_questions(candidates, memory.for_user(connection, user_id), rng, QUIZ_LENGTH)
    return _create(connection, user_id, QUIZ, topic, chosen, now)


def start_review(
    connection: Connection,
    bank: ContentBank,
    *,
    user_id: int,
    now: datetime,
    default_zone: ZoneInfo,
) -> Started:
    """Start a review of the questions whose 1/3/7-day review has come due.

    With nothing due, say when the next review comes, on the user's own clock, so /review
    never ends at a bare "nothing to do".
    """
    due = [
        bank.question(qid) for qid in memory.due_ids(connection, user_id, now, REVIEW_LENGTH * 3)
    ]
    today = now.date()
    chosen = [q for q in due if q is not None and not q.freshness.is_stale(today)]
    chosen = chosen[:REVIEW_LENGTH]
    if not chosen:
        return NothingToAsk(
            NothingReason.NO_REVIEWS, _next_review(connection, bank, user_id, now, default_zone)
        )
    duplicate = _duplicate_start(connection, user_id, REVIEW, None, now)
    if duplicate is not None:
        return duplicate
    return _create(connection, user_id, REVIEW, None, chosen, now)


def _next_review(
    connection: Connection,
    bank: ContentBank,
    user_id: int,
    now: datetime,
    default_zone: ZoneInfo,
) -> NextReview | None:
    """The soonest review still to come of a question the bank still serves."""
    today = now.date()
    upcoming = [
        m.review_due_at
        for m in memory.for_user(connection, user_id).values()
        if m.review_due_at is not None
        and m.review_due_at > now
        and (question := bank.question(m.question_id)) is not None
        and not question.freshness.is_stale(today)
    ]
    if not upcoming:
        return None
    zone = local_time.zone_of(users.timezone_of(connection, user_id), default_zone)
    return NextReview(at=min(upcoming).astimezone(zone), today=local_time.local_date(zone, now))


def start_retry(
    connection: Connection,
    bank: ContentBank,
    *,
    user_id: int,
    quiz_id: int,
    now: datetime,
) -> Started:
    """Ask again, at once, exactly the questions the user missed in quiz `quiz_id`.

    Only the user's latest quiz can be retried, once it has finished with misses: a button from
    an older quiz, someone else's quiz or a made-up id is stale and starts nothing. Starting
    the retry makes it the latest quiz, so the same button cannot start a second one (a double
    tap gets the usual "already started").
    """
    duplicate = _duplicate_start(connection, user_id, RETRY, None, now)
    if duplicate is not None:
        return duplicate
    latest = quizzes.latest(connection, user_id)
    if latest is None or latest.id != quiz_id or latest.finished_at is None:
        return NothingToAsk(NothingReason.NOTHING_TO_RETRY)
    today = now.date()
    chosen = [
        q
        for q in (bank.question(i) for i in dict.fromkeys(latest.missed_ids))
        if q is not None and not q.freshness.is_stale(today)
    ]
    if not chosen:
        return NothingToAsk(NothingReason.NOTHING_TO_RETRY)
    return _create(connection, user_id, RETRY, None, chosen, now)


def _duplicate_start(
    connection: Connection, user_id: int, kind: QuizKind, topic: str | None, now: datetime
) -> AlreadyRunning | None:
    running = quizzes.latest_unfinished(connection, user_id)
    if (
        running is not None
        and running.kind == kind
        and running.topic == topic
        and running.position == 0
        and now - running.started_at < DOUBLE_TAP_WINDOW
        # If the first poll never went out (a failed send), starting again must send one.
        and quizzes.has_poll_at(connection, running.id, 0)
    ):
        return AlreadyRunning(running.id)
    return None


def _create(
    connection: Connection,
    user_id: int,
    kind: QuizKind,
    topic: str | None,
    chosen: list[Question],
    now: datetime,
) -> QuestionToSend:
    users.touch(connection, user_id, now)
    quizzes.finish_unfinished(connection, user_id, now)
    quizzes.delete_finished_before(connection, user_id, now - FINISHED_QUIZ_RETENTION)
    quiz = quizzes.create(
        connection,
        user_id=user_id,
        kind=kind,
        topic=topic,
        question_ids=[q.id for q in chosen],
        now=now,
    )
    return QuestionToSend(quiz.id, kind, 0, len(chosen), chosen[0])


def record_poll(
    connection: Connection, *, poll_id: str, user_id: int, question: QuestionToSend
) -> None:
    """Remember which question a sent poll carries (poll answers carry only the poll id)."""
    quizzes.add_poll(
        connection,
        poll_id=poll_id,
        quiz_id=question.quiz_id,
        user_id=user_id,
        question_id=question.question.id,
        position=question.position,
    )


def answer(
    connection: Connection,
    bank: ContentBank,
    *,
    poll_id: str,
    user_id: int,
    option_ids: list[int],
    now: datetime,
    default_zone: ZoneInfo,
) -> AnswerOutcome:
    """Grade one poll answer exactly once and say what comes next."""
    found = quizzes.find_poll(connection, poll_id)
    if found is None:
        running = quizzes.latest_unfinished(connection, user_id)
        if running is None or quizzes.has_poll_at(connection, running.id, running.position):
            return NotOurs()  # an old quiz's poll: the running quiz's question is out already
        return NotOurs(resend=_waiting_on(bank, running))
    if found.poll.user_id != user_id:
        return NotOurs()
    if not option_ids:
        return Retracted()
    poll, quiz = found.poll, found.quiz
    if quiz is None or quiz.finished_at is not None or quiz.position != poll.position:
        return AlreadyGraded() if poll.answered_option is not None else QuizOver()
    if not quizzes.claim_poll_answer(connection, poll_id, option_ids[0], now):
        return AlreadyGraded()
    question = bank.question(poll.question_id)
    if question is None:  # The content changed under a running quiz: skip the question.
        quiz = quizzes.advance(
            connection, quiz, correct=False, question_id=poll.question_id, now=now
        )
        return Skipped(_what_next(connection, bank, quiz, now, default_zone))
    correct = is_correct(question, option_ids)
    if moves_ladder(quiz.kind):
        _remember(connection, user_id, question, option_ids[0], correct, found.memory, now)
    quiz = quizzes.advance(connection, quiz, correct=correct, question_id=question.id, now=now)
    return Graded(question, correct, _what_next(connection, bank, quiz, now, default_zone))


def _remember(
    connection: Connection,
    user_id: int,
    question: Question,
    chosen: int,
    correct: bool,
    previous: Memory | None,
    now: datetime,
) -> None:
    """Count an answer that is recall: the question's memory, its ladder and the answer log."""
    review = next_review(previous, correct, now)
    memory.record_answer(
        connection,
        user_id=user_id,
        question_id=question.id,
        topic=question.topic,
        correct=correct,
        review=review,
        now=now,
    )
    answers.append(
        connection,
        user_id=user_id,
        question_id=question.id,
        topic=question.topic,
        chosen=chosen,
        correct=correct,
        now=now,
    )


def _what_next(
    connection: Connection,
    bank: ContentBank,
    quiz: quizzes.QuizRecord,
    now: datetime,
    default_zone: ZoneInfo,
) -> QuestionToSend | QuizFinished:
    while quiz.finished_at is None:
        waiting = _waiting_on(bank, quiz)
        if waiting is not None:
            return waiting
        # Removed from the content bank since the quiz began: skip it, never send a stale one.
        question_id = quiz.question_ids[quiz.position]
        quiz = quizzes.advance(connection, quiz, correct=False, question_id=question_id, now=now)
    # The user's zone decides which day counts for the streak; only needed once, at the end.
    zone = local_time.zone_of(users.timezone_of(connection, quiz.user_id), default_zone)
    reading.mark_active(connection, quiz.user_id, local_time.local_date(zone, now))
    missed = tuple(q for q in (bank.question(i) for i in quiz.missed_ids) if q is not None)
    return QuizFinished(
        quiz_id=quiz.id,
        kind=quiz.kind,
        topic=quiz.topic,
        score=quiz.correct_count,
        total=len(quiz.question_ids),
        missed=missed,
        reviews_due=memory.count_due(connection, quiz.user_id, now),
    )


def _waiting_on(bank: ContentBank, quiz: quizzes.QuizRecord) -> QuestionToSend | None:
    """The question a running quiz waits on (to re-send it when its poll was lost)."""
    question = bank.question(quiz.question_ids[quiz.position])
    if question is None:
        return None
    return QuestionToSend(quiz.id, quiz.kind, quiz.position, len(quiz.question_ids), question)


# A question counts as lost once its quiz has been idle this long without a poll for it: far
# longer than a send takes, short enough that the learner is still there.
LOST_AFTER = timedelta(seconds=20)
# Older quizzes are not rescued: the learner has moved on, and a question out of the blue
# would be spam.
RESCUE_WINDOW = timedelta(hours=6)
RESCUE_BATCH = 100


def lost_questions(connection: Connection, bank: ContentBank, now: datetime) -> list[LostQuestion]:
    """Questions to send again: their send failed, or the bot stopped before sending them."""
    found = quizzes.waiting_without_poll(
        connection,
        quiet_since=now - LOST_AFTER,
        started_after=now - RESCUE_WINDOW,
        limit=RESCUE_BATCH,
    )
    return [LostQuestion(quiz.user_id, quiz.id, _waiting_on(bank, quiz)) for quiz in found]


def give_up(connection: Connection, quiz_id: int, now: datetime) -> None:
    """Stop a quiz whose question cannot be sent, so nothing keeps trying."""
    quizzes.finish(connection, quiz_id, now)
