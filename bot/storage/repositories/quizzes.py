"""Quizzes and their polls: the state that lets a quiz survive a restart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.storage.models import Quiz, QuizPoll


@dataclass(frozen=True, slots=True)
class QuizRecord:
    id: int
    user_id: int
    kind: str
    topic: str | None
    question_ids: tuple[str, ...]
    position: int
    correct_count: int
    missed_ids: tuple[str, ...]
    started_at: datetime
    finished_at: datetime | None
    answered_current: bool = False


@dataclass(frozen=True, slots=True)
class PollRecord:
    poll_id: str
    quiz_id: int
    user_id: int
    question_id: str
    position: int
    answered_option: int | None


def _record(row: Quiz) -> QuizRecord:
    return QuizRecord(
        id=row.id,
        user_id=row.user_id,
        kind=row.kind,
        topic=row.topic,
        question_ids=tuple(row.question_ids.split()),
        position=row.position,
        correct_count=row.correct_count,
        missed_ids=tuple(row.missed_ids.split()),
        started_at=row.started_at,
        finished_at=row.finished_at,
    )


def create(
    session: Session,
    *,
    user_id: int,
    kind: str,
    topic: str | None,
    question_ids: list[str],
    now: datetime,
) -> QuizRecord:
    row = Quiz(
        user_id=user_id,
        kind=kind,
        topic=topic,
        question_ids=" ".join(question_ids),
        position=0,
        correct_count=0,
        missed_ids="",
        started_at=now,
    )
    session.add(row)
    session.flush()
    return _record(row)


def get(session: Session, quiz_id: int) -> QuizRecord | None:
    row = session.get(Quiz, quiz_id)
    return _record(row) if row else None


def latest_unfinished(session: Session, user_id: int) -> QuizRecord | None:
    row = session.scalar(
        select(Quiz)
        .where(Quiz.user_id == user_id, Quiz.finished_at.is_(None))
        .order_by(Quiz.id.desc())
        .limit(1)
    )
    return _record(row) if row else None


def finish_unfinished(session: Session, user_id: int, now: datetime) -> None:
    """Close any quiz the user left half-way when they start a new one."""
    session.execute(
        update(Quiz)
        .where(Quiz.user_id == user_id, Quiz.finished_at.is_(None))
        .values(finished_at=now)
    )


def advance(
    session: Session, quiz: QuizRecord, *, correct: bool, question_id: str, now: datetime
) -> QuizRecord:
    """Move the quiz past its current question, guarded so a replay cannot advance it twice."""
    missed = quiz.missed_ids if correct else (*quiz.missed_ids, question_id)
    position = quiz.position + 1
    finished_at = now if position >= len(quiz.question_ids) else None
    result = session.execute(
        update(Quiz)
        .where(Quiz.id == quiz.id, Quiz.position == quiz.position, Quiz.finished_at.is_(None))
        .values(
            position=position,
            correct_count=Quiz.correct_count + (1 if correct else 0),
            missed_ids=" ".join(missed),
            finished_at=finished_at,
        )
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise RuntimeError("quiz advanced concurrently")
    fresh = get(session, quiz.id)
    assert fresh is not None
    return fresh


def add_poll(
    session: Session, *, poll_id: str, quiz_id: int, user_id: int, question_id: str, position: int
) -> None:
    session.add(
        QuizPoll(
            poll_id=poll_id,
            quiz_id=quiz_id,
            user_id=user_id,
            question_id=question_id,
            position=position,
        )
    )


def get_poll(session: Session, poll_id: str) -> PollRecord | None:
    row = session.get(QuizPoll, poll_id)
    if row is None:
        return None
    return PollRecord(
        row.poll_id, row.quiz_id, row.user_id, row.question_id, row.position, row.answered_option
    )


def claim_poll_answer(session: Session, poll_id: str, option: int, now: datetime) -> bool:
    """Record the answer once; False when this poll was already answered (a replayed update)."""
    result = session.execute(
        update(QuizPoll)
        .where(QuizPoll.poll_id == poll_id, QuizPoll.answered_option.is_(None))
        .values(answered_option=option, answered_at=now)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def has_poll_at(session: Session, quiz_id: int, position: int) -> bool:
    return (
        session.scalar(
            select(QuizPoll.poll_id).where(
                QuizPoll.quiz_id == quiz_id, QuizPoll.position == position
            )
        )
        is not None
    )
