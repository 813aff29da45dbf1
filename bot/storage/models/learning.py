"""Learning state: quizzes in progress, the polls that carry them, per-question memory, reads
and active days. All of it lives here, not in memory, so a restart mid-quiz loses nothing."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, UtcDateTime


def _user_fk() -> ForeignKey:
    """Deleting a user deletes everything about them (the "forget me" guarantee)."""
    return ForeignKey("users.id", ondelete="CASCADE")


class Quiz(Base):
    """One quiz or review session: an ordered list of questions and how far the user got."""

    __tablename__ = "quizzes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, _user_fk(), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "quiz" or "review"
    topic: Mapped[str | None] = mapped_column(String(32))
    question_ids: Mapped[str] = mapped_column(Text)  # space-separated, in serving order
    position: Mapped[int] = mapped_column(Integer, default=0)  # index of the question now out
    correct_count: Mapped[int] = mapped_column(Integer, default=0)
    missed_ids: Mapped[str] = mapped_column(Text, default="")  # space-separated
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class QuizPoll(Base):
    """Telegram poll id -> the quiz question it carries (poll answers have no chat or message)."""

    __tablename__ = "quiz_polls"

    poll_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    quiz_id: Mapped[int] = mapped_column(Integer, ForeignKey("quizzes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger, _user_fk(), index=True)
    question_id: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer)
    answered_option: Mapped[int | None] = mapped_column(Integer)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class QuestionMemory(Base):
    """What one user knows about one question, and when it is due for review."""

    __tablename__ = "question_memory"

    user_id: Mapped[int] = mapped_column(BigInteger, _user_fk(), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    topic: Mapped[str] = mapped_column(String(32))
    answered: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[int] = mapped_column(Integer, default=0)
    last_correct: Mapped[bool] = mapped_column(Boolean, default=False)
    # Spaced repetition: the step in the 1/3/7-day ladder, and when the review falls due.
    review_step: Mapped[int | None] = mapped_column(Integer)
    review_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_answered_at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (Index("ix_question_memory_due", "user_id", "review_due_at"),)


class ExplainerRead(Base):
    """An explainer the user read to its last page (counted once)."""

    __tablename__ = "explainer_reads"

    user_id: Mapped[int] = mapped_column(BigInteger, _user_fk(), primary_key=True)
    explainer_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ActiveDay(Base):
    """A local calendar day on which the user finished a quiz or review (for streaks)."""

    __tablename__ = "active_days"

    user_id: Mapped[int] = mapped_column(BigInteger, _user_fk(), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
