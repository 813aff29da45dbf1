"""Quizzes and their polls: the state that lets a quiz survive a restart.

A quiz answer is the bot's hottest path: its statements are built once, below, and executed
with bind parameters, so a call pays for execution only, not for building a statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, exists, func, insert, select, update

from bot.core.quiz_results import QuizKind
from bot.core.records import Memory
from bot.storage.repositories import memory
from bot.storage.tables import QUESTION_MEMORY as MEMORY
from bot.storage.tables import QUIZ_POLLS as POLLS
from bot.storage.tables import QUIZZES

_QUIZ_COLUMNS = (
    QUIZZES.c.id,
    QUIZZES.c.user_id,
    QUIZZES.c.kind,
    QUIZZES.c.topic,
    QUIZZES.c.question_ids,
    QUIZZES.c.position,
    QUIZZES.c.correct_count,
    QUIZZES.c.missed_ids,
    QUIZZES.c.started_at,
    QUIZZES.c.finished_at,
)

# ------------------------------------------------------------------ statements, built at import
# Executed with bind parameters: a quiz answer is the bot's hottest path.
_CREATE = insert(QUIZZES).returning(*_QUIZ_COLUMNS)
_LATEST_UNFINISHED = (
    select(*_QUIZ_COLUMNS)
    .where(QUIZZES.c.user_id == bindparam("user_id"), QUIZZES.c.finished_at.is_(None))
    .order_by(QUIZZES.c.id.desc())
    .limit(1)
)
_LATEST = (
    select(*_QUIZ_COLUMNS)
    .where(QUIZZES.c.user_id == bindparam("user_id"))
    .order_by(QUIZZES.c.id.desc())
    .limit(1)
)
_FINISH_UNFINISHED = (
    update(QUIZZES)
    .where(QUIZZES.c.user_id == bindparam("f_user_id"), QUIZZES.c.finished_at.is_(None))
    .values(finished_at=bindparam("f_now"))
)
_FINISH_ONE = (
    update(QUIZZES)
    .where(QUIZZES.c.id == bindparam("quiz_id"), QUIZZES.c.finished_at.is_(None))
    .values(finished_at=bindparam("now"))
)
# Running quizzes whose current question has no poll: its send failed, or the process died
# between grading an answer and sending the next question. Quiet for a while, so a send still
# in flight is not mistaken for a lost one.
_LAST_ANSWER = (
    select(func.max(POLLS.c.answered_at)).where(POLLS.c.quiz_id == QUIZZES.c.id).scalar_subquery()
)
_WAITING_WITHOUT_POLL = (
    select(*_QUIZ_COLUMNS)
    .where(
        QUIZZES.c.finished_at.is_(None),
        QUIZZES.c.started_at > bindparam("started_after"),
        ~exists().where(POLLS.c.quiz_id == QUIZZES.c.id, POLLS.c.position == QUIZZES.c.position),
        func.coalesce(_LAST_ANSWER, QUIZZES.c.started_at) < bindparam("quiet_since"),
    )
    .order_by(QUIZZES.c.id)
    .limit(bindparam("limit"))
)
_DELETE_FINISHED_BEFORE = QUIZZES.delete().where(
    QUIZZES.c.user_id == bindparam("user_id"),
    QUIZZES.c.finished_at.is_not(None),
    QUIZZES.c.finished_at < bindparam("before"),
)
# Everything grading an answer reads, in one query: the poll, its quiz, and what the user has
# shown on that question so far (the review ladder's input).
_POLL_QUIZ_MEMORY = (
    select(
        POLLS.c.poll_id,
        POLLS.c.quiz_id,
        POLLS.c.user_id.label("poll_user_id"),
        POLLS.c.question_id,
        POLLS.c.position.label("poll_position"),
        POLLS.c.answered_option,
        *_QUIZ_COLUMNS,
        # Last, in Memory's field order: the row's tail is the memory (all None when absent).
        *(column.label(f"m_{column.name}") for column in memory.COLUMNS),
    )
    .select_from(
        POLLS.outerjoin(QUIZZES, QUIZZES.c.id == POLLS.c.quiz_id).outerjoin(
            MEMORY,
            and_(
                MEMORY.c.user_id == POLLS.c.user_id,
                MEMORY.c.question_id == POLLS.c.question_id,
            ),
        )
    )
    .where(POLLS.c.poll_id == bindparam("poll_id"))
)
_CLAIM = (
    update(POLLS)
    .where(POLLS.c.poll_id == bindparam("p_poll_id"), POLLS.c.answered_option.is_(None))
    .values(answered_option=bindparam("p_option"), answered_at=bindparam("p_now"))
)
_ADVANCE = (
    update(QUIZZES)
    .where(
        QUIZZES.c.id == bindparam("p_id"),
        QUIZZES.c.position == bindparam("p_from"),
        QUIZZES.c.finished_at.is_(None),
    )
    .values(
        position=bindparam("p_to"),
        correct_count=QUIZZES.c.correct_count + bindparam("p_gain"),
        missed_ids=bindparam("p_missed"),
        finished_at=bindparam("p_finished", type_=QUIZZES.c.finished_at.type),
    )
    .returning(*_QUIZ_COLUMNS)
)
_ADD_POLL = insert(POLLS)
_POLL_AT = select(POLLS.c.poll_id).where(
    POLLS.c.quiz_id == bindparam("quiz_id"), POLLS.c.position == bindparam("position")
)


@dataclass(frozen=True, slots=True)
class QuizRecord:
    id: int
    user_id: int
    kind: QuizKind
    topic: str | None
    question_ids: tuple[str, ...]
    position: int
    correct_count: int
    missed_ids: tuple[str, ...]
    started_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True, slots=True)
class PollRecord:
    poll_id: str
    quiz_id: int
    user_id: int
    question_id: str
    position: int
    answered_option: int | None


def _record(row: Any) -> QuizRecord:  # a Core Row with the _QUIZ_COLUMNS
    return QuizRecord(
        id=row.id,
        user_id=row.user_id,
        kind=QuizKind(row.kind),
        topic=row.topic,
        question_ids=tuple(row.question_ids.split()),
        position=row.position,
        correct_count=row.correct_count,
        missed_ids=tuple(row.missed_ids.split()),
        started_at=row.started_at,
        finished_at=row.finished_at,
    )


def create(
    connection: Connection,
    *,
    user_id: int,
    kind: str,
    topic: str | None,
    question_ids: list[str],
    now: datetime,
) -> QuizRecord:
    row = connection.execute(
        _CREATE,
        {
            "user_id": user_id,
            "kind": kind,
            "topic": topic,
            "question_ids": " ".join(question_ids),
            "position": 0,
            "correct_count": 0,
            "missed_ids": "",
            "started_at": now,
        },
    ).one()
    return _record(row)


def latest_unfinished(connection: Connection, user_id: int) -> QuizRecord | None:
    row = connection.execute(_LATEST_UNFINISHED, {"user_id": user_id}).one_or_none()
    return _record(row) if row else None


def waiting_without_poll(
    connection: Connection, *, quiet_since: datetime, started_after: datetime, limit: int
) -> list[QuizRecord]:
    """Running quizzes, started after `started_after` and idle since `quiet_since`, whose
    current question never went out as a poll."""
    rows = connection.execute(
        _WAITING_WITHOUT_POLL,
        {"quiet_since": quiet_since, "started_after": started_after, "limit": limit},
    )
    return [_record(row) for row in rows]


def finish(connection: Connection, quiz_id: int, now: datetime) -> None:
    """End one quiz where it stands (its question cannot be sent)."""
    connection.execute(_FINISH_ONE, {"quiz_id": quiz_id, "now": now})


def latest(connection: Connection, user_id: int) -> QuizRecord | None:
    """The user's most recent quiz, finished or not."""
    row = connection.execute(_LATEST, {"user_id": user_id}).one_or_none()
    return _record(row) if row else None


def finish_unfinished(connection: Connection, user_id: int, now: datetime) -> None:
    """Close any quiz the user left half-way when they start a new one."""
    connection.execute(_FINISH_UNFINISHED, {"f_user_id": user_id, "f_now": now})


def advance(
    connection: Connection, quiz: QuizRecord, *, correct: bool, question_id: str, now: datetime
) -> QuizRecord:
    """Move the quiz past its current question, guarded so a replay cannot advance it twice."""
    missed = quiz.missed_ids if correct else (*quiz.missed_ids, question_id)
    position = quiz.position + 1
    row = connection.execute(
        _ADVANCE,
        {
            "p_id": quiz.id,
            "p_from": quiz.position,
            "p_to": position,
            "p_gain": 1 if correct else 0,
            "p_missed": " ".join(missed),
            "p_finished": now if position >= len(quiz.question_ids) else None,
        },
    ).one_or_none()
    if row is None:
        raise RuntimeError("quiz advanced concurrently")
    return _record(row)


def add_poll(
    connection: Connection,
    *,
    poll_id: str,
    quiz_id: int,
    user_id: int,
    question_id: str,
    position: int,
) -> None:
    connection.execute(
        _ADD_POLL,
        {
            "poll_id": poll_id,
            "quiz_id": quiz_id,
            "user_id": user_id,
            "question_id": question_id,
            "position": position,
        },
    )


@dataclass(frozen=True, slots=True)
class PollLookup:
    """A poll, the quiz it belongs to (None once deleted) and the user's memory of its question."""

    poll: PollRecord
    quiz: QuizRecord | None
    memory: Memory | None


def find_poll(connection: Connection, poll_id: str) -> PollLookup | None:
    """What grading an answer to this poll needs, in one query (None: not a poll of ours)."""
    row = connection.execute(_POLL_QUIZ_MEMORY, {"poll_id": poll_id}).one_or_none()
    if row is None:
        return None
    poll = PollRecord(
        row.poll_id,
        row.quiz_id,
        row.poll_user_id,
        row.question_id,
        row.poll_position,
        row.answered_option,
    )
    remembered = row[-len(memory.COLUMNS) :]
    known = Memory(*remembered) if row.m_question_id is not None else None
    return PollLookup(poll, _record(row) if row.id is not None else None, known)


def has_poll_at(connection: Connection, quiz_id: int, position: int) -> bool:
    """Whether the question at `position` actually went out as a poll we know about."""
    found = connection.scalar(_POLL_AT, {"quiz_id": quiz_id, "position": position})
    return found is not None


def delete_finished_before(connection: Connection, user_id: int, before: datetime) -> None:
    """Forget a user's old finished quizzes (their polls go with them): keep only what's needed."""
    connection.execute(_DELETE_FINISHED_BEFORE, {"user_id": user_id, "before": before})


def claim_poll_answer(connection: Connection, poll_id: str, option: int, now: datetime) -> bool:
    """Record the answer once; False when this poll was already answered (a replayed update)."""
    result = connection.execute(_CLAIM, {"p_poll_id": poll_id, "p_option": option, "p_now": now})
    return result.rowcount == 1
