"""Quiz buttons: start a quiz (mixed, or on one topic), retry a quiz's mistakes, start a review."""

from __future__ import annotations

from bot.telegram.callbacks.codec import ID, checked, constant, full, match_of
from bot.telegram.context import Context

START_PATTERN = full(rf"quiz:start(?::(?P<topic>{ID}))?")
REVIEW, REVIEW_PATTERN = constant("review:start")
# The quiz id is a database id: the flow checks it is the tapping user's latest quiz.
RETRY_PATTERN = full(r"quiz:retry:(?P<quiz>[1-9][0-9]{0,17})")


def start(topic_id: str | None = None) -> str:
    """ "Quiz", "Another quiz" (mixed when `topic_id` is None) and "Quiz me on this"."""
    return checked(f"quiz:start:{topic_id}" if topic_id else "quiz:start", START_PATTERN)


def start_topic(context: Context) -> str | None:
    """The topic of a START_PATTERN button, None for a mixed quiz."""
    topic: str | None = match_of(context)["topic"]
    return topic


def retry(quiz_id: int) -> str:
    """ "Retry my mistakes" under the summary of quiz `quiz_id`."""
    return checked(f"quiz:retry:{quiz_id}", RETRY_PATTERN)


def retry_quiz_id(context: Context) -> int:
    """The quiz id of a RETRY_PATTERN button."""
    return int(match_of(context)["quiz"])
