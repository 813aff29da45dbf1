"""Quiz rules: which questions to serve, grading, and the spaced-repetition ladder.

Pure functions over plain data, so every rule is unit-tested without Telegram or a database.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from bot.core.content import Question
from bot.core.quiz_results import QuizKind
from bot.core.records import Memory, ReviewState

QUIZ_LENGTH = 5
REVIEW_LENGTH = 10
# A missed question comes back after 1 day, then 3, then 7 while it keeps being answered right.
REVIEW_INTERVALS = (timedelta(days=1), timedelta(days=3), timedelta(days=7))


def select_questions(
    candidates: Sequence[Question],
    memory: Mapping[str, Memory],
    rng: random.Random,
    count: int = QUIZ_LENGTH,
) -> list[Question]:
    """Pick `count` distinct questions: never-answered first, then missed, then known ones.

    Questions the user last answered right are served last, so a quiz teaches something new
    before it repeats what the user already knows. Order within each group is random. Two
    questions that exclude each other (one would give the other away) never meet in one quiz.
    """

    def rank(question: Question) -> tuple[int, float]:
        seen = memory.get(question.id)
        group = 0 if seen is None else (2 if seen.last_correct else 1)
        return group, rng.random()

    chosen: list[Question] = []
    ruled_out: set[str] = set()
    for question in sorted(candidates, key=rank):
        if len(chosen) == count:
            break
        if question.id in ruled_out:
            continue
        chosen.append(question)
        ruled_out.update(question.excludes)
        ruled_out.update(q.id for q in candidates if question.id in q.excludes)
    return chosen


def is_correct(question: Question, option_ids: Sequence[int]) -> bool:
    """A quiz poll allows one choice; it is right when it is the correct option."""
    return list(option_ids) == [question.correct]


def next_review(previous: Memory | None, correct: bool, now: datetime) -> ReviewState:
    """Move a question on the 1/3/7-day ladder.

    A miss (re)starts the ladder at one day. A right answer to a question on the ladder moves it
    one rung up; after the last rung it leaves the ladder. A right answer to a question that was
    never missed schedules nothing.
    """
    if not correct:
        return ReviewState(0, now + REVIEW_INTERVALS[0])
    if previous is None or previous.review_step is None:
        return ReviewState(None, None)
    step = previous.review_step + 1
    if step >= len(REVIEW_INTERVALS):
        return ReviewState(None, None)
    return ReviewState(step, now + REVIEW_INTERVALS[step])


def moves_ladder(kind: QuizKind) -> bool:
    """Whether answers in a quiz of this kind count as recall: memory, ladder and answer log.

    A retry asks the questions the user missed a minute ago, right after showing the answers.
    Getting one right then is short-term memory, not recall after a day, so it must not promote
    the question as if it had been remembered: a retry answer is kept on its quiz (its poll
    records the choice, its summary shows the score) but leaves the question's memory alone.
    The missed question stays "due in 1 day" and /review still serves it after 1, 3 and 7 days.
    Keeping retries out of the answer log also keeps item statistics about first tries only.
    """
    return kind is not QuizKind.RETRY
