"""The answer log and the per-topic totals it folds into after the retention period.

Finished quizzes and their polls go after 7 days, so item analysis needs its own record of what
was answered. A row holds the minimum: who (for ranking learners, never shown), which question
and option, whether it was right, and when (for the retention sweep). No question text, no poll
id, no chat. Plain Core tables on the shared metadata, so Alembic compares them with the
migrations like every other table.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
)

from bot.storage.models.base import Base, UtcDateTime


def _user_fk() -> ForeignKey:
    """Deleting a user deletes their answers too (the "forget me" guarantee)."""
    return ForeignKey("users.id", ondelete="CASCADE")


answers = Table(
    "answers",
    Base.metadata,
    # A surrogate key: one user may answer one question many times (quizzes and reviews).
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("user_id", BigInteger, _user_fk(), nullable=False),
    Column("question_id", String(32), nullable=False),
    Column("topic", String(32), nullable=False),
    Column("chosen", SmallInteger, nullable=False),  # 0-based option index
    Column("correct", Boolean, nullable=False),
    Column("answered_at", UtcDateTime(), nullable=False),
    # Leads with user_id for the /forget cascade, and covers the stats query's GROUP BY, so
    # `content stats` reads the index alone.
    Index("ix_answers_user_item", "user_id", "question_id", "chosen", "correct"),
    # The retention sweep deletes a range of old rows.
    Index("ix_answers_answered_at", "answered_at"),
)

topic_answer_totals = Table(
    "topic_answer_totals",
    Base.metadata,
    Column("user_id", BigInteger, _user_fk(), primary_key=True),
    Column("topic", String(32), primary_key=True),
    Column("answered", Integer, nullable=False),
    Column("correct", Integer, nullable=False),
)
