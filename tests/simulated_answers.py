"""A generated answer log: learners of varying ability answer a small bank, with planted faults.

Each learner has an ability, each item a difficulty; a learner who knows an item (logistic in
ability minus difficulty) picks its true answer, one who does not guesses among the options it
offers. A miskeyed item's true answer is not the bank's key, so strong learners are graded
wrong; a too-easy item is known by everyone; a dead option is one no guess ever lands on.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from bot.core.content import Question
from bot.storage.database import Database
from bot.storage.repositories import answers, users


@dataclass(frozen=True)
class SimulatedItem:
    question: Question
    difficulty: float = 0.0
    true_answer: int | None = None  # None: the bank's key is right
    dead_option: int | None = None  # an option guesses never pick


@dataclass(frozen=True)
class LoggedAnswer:
    user_id: int
    question: Question
    chosen: int
    correct: bool


def simulate(
    items: list[SimulatedItem], *, learners: int = 300, seed: int = 7
) -> list[LoggedAnswer]:
    """Every learner answers every item once."""
    rng = random.Random(seed)
    log = []
    for user_id in range(1, learners + 1):
        ability = rng.uniform(-2.0, 2.0)
        for item in items:
            q = item.question
            knows = rng.random() < 1 / (1 + math.exp(-1.7 * (ability - item.difficulty)))
            if knows:
                chosen = q.correct if item.true_answer is None else item.true_answer
            else:
                offered = [i for i in range(len(q.options)) if i != item.dead_option]
                chosen = rng.choice(offered)
            log.append(LoggedAnswer(user_id, q, chosen, chosen == q.correct))
    return log


def write(database: Database, log: list[LoggedAnswer], now: datetime) -> None:
    """Store the log as grading would: the users, then one row per answer."""

    def store(connection: Connection) -> None:
        for user_id in sorted({entry.user_id for entry in log}):
            users.touch(connection, user_id, now)
        for entry in log:
            answers.append(
                connection,
                user_id=entry.user_id,
                question_id=entry.question.id,
                topic=entry.question.topic,
                chosen=entry.chosen,
                correct=entry.correct,
                now=now,
            )

    database.run_sync(store)


def planted(questions: list[Question]) -> tuple[list[SimulatedItem], dict[str, str]]:
    """Eight items over these questions (4 options each): five sound ones, then a miskeyed,
    a too-easy and a dead-option one; and what each faulty item must be flagged as."""
    assert len(questions) >= 8
    assert all(len(q.options) == 4 for q in questions[:8])
    difficulties = (-0.4, 0.0, 0.3, 0.6, 0.9)
    sound = [SimulatedItem(q, d) for q, d in zip(questions[:5], difficulties, strict=True)]
    miskeyed, easy, dead = questions[5:8]
    faulty = [
        SimulatedItem(miskeyed, difficulty=-0.5, true_answer=(miskeyed.correct + 1) % 4),
        SimulatedItem(easy, difficulty=-8.0),
        SimulatedItem(dead, difficulty=0.3, dead_option=(dead.correct + 2) % 4),
    ]
    expected = {miskeyed.id: "negative disc", easy.id: "too easy", dead.id: "unused option"}
    return sound + faulty, expected
