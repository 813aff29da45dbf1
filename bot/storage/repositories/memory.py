"""Per-user, per-question memory: answers, accuracy and the review ladder."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, select

from bot.core.records import Memory, ReviewState
from bot.storage.tables import QUESTION_MEMORY as MEMORY
from bot.storage.upsert import InsertFactory, for_dialects

# In Memory's field order; selected as plain columns: /progress reads every row of a user.
COLUMNS = (
    MEMORY.c.question_id,
    MEMORY.c.answered,
    MEMORY.c.correct,
    MEMORY.c.last_correct,
    MEMORY.c.review_step,
    MEMORY.c.review_due_at,
)


# ------------------------------------------------------------------ statements, built at import
def _record_answer(insert: InsertFactory) -> Any:
    """Insert the first answer, or count one more and move the review ladder."""
    statement = insert(MEMORY).values(
        user_id=bindparam("user_id"),
        question_id=bindparam("question_id"),
        topic=bindparam("topic"),
        answered=1,
        correct=bindparam("hit"),
        last_correct=bindparam("is_correct"),
        review_step=bindparam("step", type_=MEMORY.c.review_step.type),
        review_due_at=bindparam("due_at", type_=MEMORY.c.review_due_at.type),
        last_answered_at=bindparam("now"),
    )
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=["user_id", "question_id"],
        set_={
            "answered": MEMORY.c.answered + 1,
            "correct": MEMORY.c.correct + excluded.correct,
            "last_correct": excluded.last_correct,
            "review_step": excluded.review_step,
            "review_due_at": excluded.review_due_at,
            "last_answered_at": excluded.last_answered_at,
        },
    )


_RECORD_ANSWER = for_dialects(_record_answer)
_FOR_USER = select(*COLUMNS).where(MEMORY.c.user_id == bindparam("user_id"))
_COUNT_DUE = select(func.count()).where(
    MEMORY.c.user_id == bindparam("user_id"), MEMORY.c.review_due_at <= bindparam("now")
)
_DUE_IDS = (
    select(MEMORY.c.question_id)
    .where(MEMORY.c.user_id == bindparam("user_id"), MEMORY.c.review_due_at <= bindparam("now"))
    .order_by(MEMORY.c.review_due_at, MEMORY.c.question_id)
    .limit(bindparam("limit"))
)


def for_user(connection: Connection, user_id: int) -> dict[str, Memory]:
    rows = connection.execute(_FOR_USER, {"user_id": user_id})
    return {row.question_id: Memory(*row) for row in rows}


def record_answer(
    connection: Connection,
    *,
    user_id: int,
    question_id: str,
    topic: str,
    correct: bool,
    review: ReviewState,
    now: datetime,
) -> None:
    """One upsert: count the answer and set the review state."""
    connection.execute(
        _RECORD_ANSWER.of(connection),
        {
            "user_id": user_id,
            "question_id": question_id,
            "topic": topic,
            "hit": 1 if correct else 0,
            "is_correct": correct,
            "step": review.step,
            "due_at": review.due_at,
            "now": now,
        },
    )


def due_ids(connection: Connection, user_id: int, now: datetime, limit: int) -> list[str]:
    """Questions whose review has come, most overdue first."""
    return list(connection.scalars(_DUE_IDS, {"user_id": user_id, "now": now, "limit": limit}))


def count_due(connection: Connection, user_id: int, now: datetime) -> int:
    return int(connection.scalar(_COUNT_DUE, {"user_id": user_id, "now": now}) or 0)
