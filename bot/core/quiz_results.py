"""What a quiz step returns: the question to send next, the summary, or why nothing happens.

Plain records, so handlers and the terminal chat render them without knowing how they were made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.core.content import Question


class QuizKind(StrEnum):
    QUIZ = "quiz"
    REVIEW = "review"
    # The questions just missed, asked again at once: practice, which leaves the ladder alone.
    RETRY = "retry"


class NothingReason(StrEnum):
    NO_QUESTIONS = "no-questions"
    NO_REVIEWS = "no-reviews"
    # A "Retry my mistakes" button that is stale (a newer quiz began), forged or already used.
    NOTHING_TO_RETRY = "nothing-to-retry"


@dataclass(frozen=True, slots=True)
class NextReview:
    """When the user's next review comes due, on their own clock."""

    at: datetime  # in the user's zone
    today: date  # the user's local date now, so "tomorrow" means their tomorrow


@dataclass(frozen=True, slots=True)
class QuestionToSend:
    quiz_id: int
    kind: QuizKind
    position: int
    total: int
    question: Question


@dataclass(frozen=True, slots=True)
class QuizFinished:
    quiz_id: int
    kind: QuizKind
    topic: str | None
    score: int
    total: int
    missed: tuple[Question, ...]
    reviews_due: int


@dataclass(frozen=True, slots=True)
class AlreadyRunning:
    """The user tapped start again before answering: the first question is already out."""

    quiz_id: int


@dataclass(frozen=True, slots=True)
class NothingToAsk:
    reason: NothingReason
    # With NO_REVIEWS: the next review to come, or None when nothing is scheduled at all.
    next_review: NextReview | None = None


@dataclass(frozen=True, slots=True)
class NotOurs:
    """A poll we have no record of (or one sent to someone else).

    The bot sends no other polls, so an unknown poll from a user who has a quiz running means
    its record was lost (the send timed out after Telegram delivered it): `resend` is the question
    that quiz waits on, to send again so the quiz goes on.
    """

    resend: QuestionToSend | None = None


@dataclass(frozen=True, slots=True)
class Retracted:
    """The user withdrew their vote; quiz polls grade the first answer only."""


@dataclass(frozen=True, slots=True)
class AlreadyGraded:
    """The same answer arrived again (a replayed update)."""


@dataclass(frozen=True, slots=True)
class QuizOver:
    """An answer to a question of a quiz that ended or moved on."""


@dataclass(frozen=True, slots=True)
class Graded:
    question: Question
    correct: bool
    next: QuestionToSend | QuizFinished


@dataclass(frozen=True, slots=True)
class Skipped:
    """The answered question was removed from the content bank; the quiz goes on without it."""

    next: QuestionToSend | QuizFinished


Started = QuestionToSend | AlreadyRunning | NothingToAsk
AnswerOutcome = Graded | Skipped | NotOurs | Retracted | AlreadyGraded | QuizOver


@dataclass(frozen=True, slots=True)
class LostQuestion:
    """A running quiz whose current question never reached the user; `question` is None when
    it is no longer in the bank."""

    user_id: int
    quiz_id: int
    question: QuestionToSend | None
