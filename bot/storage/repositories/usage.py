"""Aggregate counts for operators: how many, never who."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, bindparam, func, select

from bot.storage.tables import ACTIVE_DAYS, QUIZZES

# ------------------------------------------------------------------ statements, built at import
_ACTIVE_SINCE = select(func.count(ACTIVE_DAYS.c.user_id.distinct())).where(
    ACTIVE_DAYS.c.day >= bindparam("since")
)
# A quiz is completed when its position reached its last question; a quiz left unfinished when
# another started is closed too, with its position short. `question_ids` is space-separated.
_QUESTION_COUNT = (
    func.length(QUIZZES.c.question_ids)
    - func.length(func.replace(QUIZZES.c.question_ids, " ", ""))
    + 1
)
_COMPLETED_SINCE = select(func.count()).where(
    QUIZZES.c.finished_at >= bindparam("since"), QUIZZES.c.position >= _QUESTION_COUNT
)


def active_since(connection: Connection, since: date) -> int:
    """Users who finished a quiz or review on a local day on or after `since`."""
    return int(connection.scalar(_ACTIVE_SINCE, {"since": since}) or 0)


def quizzes_completed_since(connection: Connection, since: datetime) -> int:
    """Quizzes and reviews answered to the end at or after `since` (finished ones are kept a
    week, so `since` should be no further back)."""
    return int(connection.scalar(_COMPLETED_SINCE, {"since": since}) or 0)
