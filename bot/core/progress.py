"""Progress: accuracy, per-topic mastery and daily streaks, computed from plain records."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
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
    """How many of a topic's questions the user last answered right, out of all of them.

    `answered` counts the topic's questions answered at least once; with `read` (its explainer
    opened) it tells a topic the user has started from one they have not touched.
    """

    topic_id: str
    title: str
    mastered: int
    total: int
    answered: int = 0
    read: bool = False

    @property
    def started(self) -> bool:
        return self.answered > 0 or self.read

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

    @property
    def is_new(self) -> bool:
        """Nothing done yet: /progress then says where to begin instead of showing empty bars."""
        return not (self.answered or self.explainers_read or self.tips_seen)

    @property
    def started_topics(self) -> tuple[TopicMastery, ...]:
        return tuple(t for t in self.topics if t.started)

    @property
    def untouched_topics(self) -> int:
        return sum(1 for t in self.topics if not t.started)


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


def mastery(
    bank: ContentBank, memory: Sequence[Memory], topics_read: Collection[str] = ()
) -> tuple[TopicMastery, ...]:
    """Per topic: questions whose latest answer was right, out of the topic's questions.

    `topics_read` holds the ids of topics whose explainer the user has opened.
    """
    right = {m.question_id for m in memory if m.last_correct}
    seen = {m.question_id for m in memory if m.answered}
    rows = []
    for topic in bank.topics:
        questions = bank.questions_in(topic.id)
        rows.append(
            TopicMastery(
                topic.id,
                topic.title,
                mastered=sum(1 for q in questions if q.id in right),
                total=len(questions),
                answered=sum(1 for q in questions if q.id in seen),
                read=topic.id in topics_read,
            )
        )
    return tuple(rows)


def summarize(
    bank: ContentBank,
    memory: Sequence[Memory],
    *,
    explainers_read: int,
    tips_seen: int,
    topics_read: Collection[str] = (),
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
        topics=mastery(bank, known, topics_read),
        explainers_read=explainers_read,
        explainers_total=len(bank.explainers),
        tips_seen=tips_seen,
        tips_total=len(bank.tips),
        streak=streak(active_days, today),
        reviews_due=due,
    )
