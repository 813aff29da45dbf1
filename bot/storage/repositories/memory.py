"""Per-user, per-question memory: answers, accuracy and the review ladder."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.quizzes import Memory, ReviewState
from bot.storage.models import QuestionMemory
from bot.storage.models.base import table_of
from bot.storage.upsert import insert_for

MEMORY = table_of(QuestionMemory)
# Selected as plain columns (Core), not ORM objects: /progress reads every row of a user.
_COLUMNS = (
    MEMORY.c.question_id,
    MEMORY.c.answered,
    MEMORY.c.correct,
    MEMORY.c.last_correct,
    MEMORY.c.review_step,
    MEMORY.c.review_due_at,
)


def for_user(session: Session, user_id: int) -> dict[str, Memory]:
    rows = session.execute(select(*_COLUMNS).where(MEMORY.c.user_id == user_id))
    return {row.question_id: Memory(*row) for row in rows}


def get(session: Session, user_id: int, question_id: str) -> Memory | None:
    row = session.execute(
        select(*_COLUMNS).where(MEMORY.c.user_id == user_id, MEMORY.c.question_id == question_id)
    ).one_or_none()
    return Memory(*row) if row else None


def record_answer(
    session: Session,
    *,
    user_id: int,
    question_id: str,
    topic: str,
    correct: bool,
    review: ReviewState,
    now: datetime,
) -> None:
    """One upsert: count the answer and set the review state."""
    hit = 1 if correct else 0
    values = {
        "user_id": user_id,
        "question_id": question_id,
        "topic": topic,
        "answered": 1,
        "correct": hit,
        "last_correct": correct,
        "review_step": review.step,
        "review_due_at": review.due_at,
        "last_answered_at": now,
    }
    statement = insert_for(session, QuestionMemory).values(**values)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["user_id", "question_id"],
            set_={
                "answered": QuestionMemory.answered + 1,
                "correct": QuestionMemory.correct + hit,
                "last_correct": correct,
                "review_step": review.step,
                "review_due_at": review.due_at,
                "last_answered_at": now,
            },
        )
    )


def due_ids(session: Session, user_id: int, now: datetime, limit: int) -> list[str]:
    return list(
        session.scalars(
            select(QuestionMemory.question_id)
            .where(QuestionMemory.user_id == user_id, QuestionMemory.review_due_at <= now)
            .order_by(QuestionMemory.review_due_at, QuestionMemory.question_id)
            .limit(limit)
        )
    )


def count_due(session: Session, user_id: int, now: datetime) -> int:
    return int(
        session.scalar(
            select(func.count()).where(
                QuestionMemory.user_id == user_id, QuestionMemory.review_due_at <= now
            )
        )
        or 0
    )
