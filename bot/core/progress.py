"""Progress: accuracy, per-topic mastery and daily streaks, computed from plain records."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.core.content import ContentBank
from bot.core.records import Memory


@dataclass(frozen=True, slots=True)
class Streak:
    current: int
    best: int


@dataclass(frozen=True, slots=True)
class TopicMastery:
    """How many of a topic's questions the user last answered right, out of all of them."""

    topic_id: str
    title: str
    mastered: int
    total: int

    @property
    def fraction(self) -> float:
        return self.mastered / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class ProgressSummary:
    answered: int
    correct: int
    topics: tuple[TopicMastery, ...]
    explainers_read: int
    explainers_total: int
    tips_seen: int
    tips_total: int
    streak: Streak
    reviews_due: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


BAR_WIDTH = 8


def mastery_bar(fraction: float) -> str:
    """A compact bar for a phone screen: ▓▓▓▓░░░░ is half mastered."""
    filled = round(fraction * BAR_WIDTH)
    return "▓" * filled + "░" * (BAR_WIDTH - filled)


def streak(days: Iterable[date], today: date) -> Streak:
    """Current and best run of consecutive active days.

    The current streak is still alive on a day the user has not been active yet, as long as
    they were active yesterday: a streak should not look broken at breakfast.
    """
    ordered = sorted(set(days))
    best = run = 0
    previous: date | None = None
    for day in ordered:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    alive = previous is not None and today - previous <= timedelta(days=1)
    return Streak(current=run if alive else 0, best=best)


def mastery(bank: ContentBank, memory: Sequence[Memory]) -> tuple[TopicMastery, ...]:
    """Per topic: questions whose latest answer was right, out of the topic's questions."""
    right = {m.question_id for m in memory if m.last_correct}
    rows = []
    for topic in bank.topics:
        questions = bank.questions_in(topic.id)
        mastered = sum(1 for q in questions if q.id in right)
        rows.append(TopicMastery(topic.id, topic.title, mastered, len(questions)))
    return tuple(rows)


def summarize(
    bank: ContentBank,
    memory: Sequence[Memory],
    *,
    explainers_read: int,
    tips_seen: int,
    active_days: Iterable[date],
    today: date,
    now: datetime,
) -> ProgressSummary:
    """Everything /progress shows, in one plain object."""
    known = [m for m in memory if bank.question(m.question_id) is not None]
    due = sum(1 for m in known if m.review_due_at is not None and m.review_due_at <= now)
    return ProgressSummary(
        answered=sum(m.answered for m in known),
        correct=sum(m.correct for m in known),
        topics=mastery(bank, known),
        explainers_read=explainers_read,
        explainers_total=len(bank.explainers),
        tips_seen=tips_seen,
        tips_total=len(bank.tips),
        streak=streak(active_days, today),
        reviews_due=due,
    )
