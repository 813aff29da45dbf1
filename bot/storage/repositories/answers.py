"""The answer log: append one row per graded answer, read it grouped for item analysis, and
fold rows past the retention period into per-topic totals."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Integer, bindparam, case, delete, func, insert, select

from bot.core.item_analysis import AnswerCount
from bot.storage.tables import ANSWERS
from bot.storage.tables import TOPIC_ANSWER_TOTALS as TOTALS
from bot.storage.upsert import for_dialects

# Built once: every graded answer takes this path.
_APPEND = insert(ANSWERS).values(
    user_id=bindparam("user_id"),
    question_id=bindparam("question_id"),
    topic=bindparam("topic"),
    chosen=bindparam("chosen"),
    correct=bindparam("correct"),
    answered_at=bindparam("now"),
)
_HIT = case((ANSWERS.c.correct, 1), else_=0)
# Grouped per user, question and option, so a user's repeat answers arrive as one row.
_COUNTS = select(
    ANSWERS.c.user_id,
    ANSWERS.c.question_id,
    ANSWERS.c.chosen,
    func.count().label("answers"),
    func.sum(_HIT, type_=Integer).label("correct"),
).group_by(ANSWERS.c.user_id, ANSWERS.c.question_id, ANSWERS.c.chosen)
# Deleting first and counting what was deleted makes two overlapping sweeps safe: the second
# one's DELETE finds the rows gone and adds nothing to the totals.
_TAKE_BEFORE = (
    delete(ANSWERS)
    .where(ANSWERS.c.answered_at < bindparam("before"))
    .returning(ANSWERS.c.user_id, ANSWERS.c.topic, ANSWERS.c.correct)
)


def _add_to_totals(insert: Any) -> Any:
    statement = insert(TOTALS).values(
        user_id=bindparam("user_id"),
        topic=bindparam("topic"),
        answered=bindparam("answered"),
        correct=bindparam("hits"),
    )
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=["user_id", "topic"],
        set_={
            "answered": TOTALS.c.answered + excluded.answered,
            "correct": TOTALS.c.correct + excluded.correct,
        },
    )


_ADD_TO_TOTALS = for_dialects(_add_to_totals)


def append(
    connection: Connection,
    *,
    user_id: int,
    question_id: str,
    topic: str,
    chosen: int,
    correct: bool,
    now: datetime,
) -> None:
    """Log one graded answer (the caller grades each answer once)."""
    connection.execute(
        _APPEND,
        {
            "user_id": user_id,
            "question_id": question_id,
            "topic": topic,
            "chosen": chosen,
            "correct": correct,
            "now": now,
        },
    )


def counts(connection: Connection) -> list[AnswerCount]:
    """Every retained answer, counted per user, question and chosen option."""
    return [
        AnswerCount(row.user_id, row.question_id, row.chosen, row.answers, row.correct)
        for row in connection.execute(_COUNTS)
    ]


def fold_before(connection: Connection, before: datetime) -> int:
    """Move answers older than `before` into per-user, per-topic totals; how many were moved."""
    answered: Counter[tuple[int, str]] = Counter()
    hits: Counter[tuple[int, str]] = Counter()
    for user_id, topic, correct in connection.execute(_TAKE_BEFORE, {"before": before}):
        answered[user_id, topic] += 1
        hits[user_id, topic] += 1 if correct else 0
    if answered:
        connection.execute(
            _ADD_TO_TOTALS.of(connection),
            [
                {"user_id": user_id, "topic": topic, "answered": n, "hits": hits[user_id, topic]}
                for (user_id, topic), n in answered.items()
            ],
        )
    return answered.total()


def topic_totals(connection: Connection) -> dict[str, tuple[int, int]]:
    """All answers ever given per topic, folded and retained together: topic -> (answered,
    correct). The same before and after a fold, which is what the fold promises."""
    folded = select(
        TOTALS.c.topic,
        func.sum(TOTALS.c.answered, type_=Integer),
        func.sum(TOTALS.c.correct, type_=Integer),
    ).group_by(TOTALS.c.topic)
    logged = select(ANSWERS.c.topic, func.count(), func.sum(_HIT, type_=Integer)).group_by(
        ANSWERS.c.topic
    )
    combined: dict[str, tuple[int, int]] = {}
    for statement in (folded, logged):
        for topic, n, hit in connection.execute(statement):
            before = combined.get(topic, (0, 0))
            combined[topic] = (before[0] + int(n), before[1] + int(hit or 0))
    return combined
