"""The loaded content bank: topics, explainers, quiz questions and tips as immutable data.

Built once at start-up by `bot.contentbank.loader` after validation, then only read, so it can be
shared by every handler and the terminal chat without locks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class QuestionStyle(StrEnum):
    """What a question asks of the learner; the bank keeps most of them about applying it."""

    SCENARIO = "scenario"
    DECISION = "decision"
    CONCEPT = "concept"
    RECALL = "recall"


class Platform(StrEnum):
    ANDROID = "android"
    IOS = "ios"
    WEB = "web"
    ANY = "any"


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact comes from; shown to readers so they can check it."""

    title: str
    url: str
    publisher: str = ""
    date: str = ""
    retrieved: str = ""


@dataclass(frozen=True, slots=True)
class Freshness:
    """When an item was last checked, and when its time-bound claim must be checked again."""

    reviewed: dt.date
    review_by: dt.date | None = None

    def is_stale(self, today: dt.date) -> bool:
        return self.review_by is not None and today > self.review_by


UNREVIEWED = Freshness(dt.date.min)


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: str
    summary: str


@dataclass(frozen=True, slots=True)
class Explainer:
    """A short read split into phone-sized pages (Telegram HTML)."""

    id: str
    topic: str
    title: str
    summary: str
    pages: tuple[str, ...]
    what_you_can_do: str
    sources: tuple[Source, ...]
    freshness: Freshness = UNREVIEWED


@dataclass(frozen=True, slots=True)
class Question:
    """A quiz question; question, options and explanation are plain text (sent unparsed)."""

    id: str
    topic: str
    difficulty: Difficulty
    question: str
    options: tuple[str, ...]
    correct: int
    explanation: str
    sources: tuple[Source, ...]
    style: QuestionStyle = QuestionStyle.RECALL
    excludes: tuple[str, ...] = ()
    freshness: Freshness = UNREVIEWED


@dataclass(frozen=True, slots=True)
class Tip:
    id: str
    topic: str
    title: str
    text: str
    platforms: tuple[Platform, ...]
    sources: tuple[Source, ...]
    freshness: Freshness = UNREVIEWED


@dataclass(frozen=True, slots=True)
class CheckupAction:
    """One concrete thing to do on one platform (or `any`); `title` names it in /checklist."""

    id: str
    platform: Platform
    title: str
    text: str  # Telegram HTML
    sources: tuple[Source, ...]
    freshness: Freshness = UNREVIEWED


@dataclass(frozen=True, slots=True)
class CheckupDay:
    """One day of the check-up course: a short lesson, an action per platform, a two-poll check."""

    id: str
    day: int
    title: str
    lesson: str  # Telegram HTML
    actions: tuple[CheckupAction, ...]
    check: tuple[Question, ...]
    sources: tuple[Source, ...]
    freshness: Freshness = UNREVIEWED

    def action_for(self, platform: Platform) -> CheckupAction | None:
        """The action written for `platform`, else the one for any platform."""
        for wanted in (platform, Platform.ANY):
            for action in self.actions:
                if action.platform == wanted:
                    return action
        return None


Reviewed = Explainer | Question | Tip | CheckupDay | CheckupAction


@dataclass(frozen=True)
class ContentBank:
    """Everything the bot can teach, in file order, with lookups by id and by topic."""

    topics: tuple[Topic, ...] = ()
    explainers: tuple[Explainer, ...] = ()
    questions: tuple[Question, ...] = ()
    tips: tuple[Tip, ...] = ()
    checkup: tuple[CheckupDay, ...] = ()  # in day order
    _topic_by_id: dict[str, Topic] = field(init=False, repr=False)
    _explainer_by_topic: dict[str, Explainer] = field(init=False, repr=False)
    _question_by_id: dict[str, Question] = field(init=False, repr=False)
    _tip_by_id: dict[str, Tip] = field(init=False, repr=False)
    _questions_by_topic: dict[str, tuple[Question, ...]] = field(init=False, repr=False)
    _action_by_id: dict[str, tuple[CheckupDay, CheckupAction]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_topic_by_id", {t.id: t for t in self.topics})
        object.__setattr__(self, "_explainer_by_topic", _first_by_topic(self.explainers))
        object.__setattr__(self, "_question_by_id", {q.id: q for q in self.questions})
        object.__setattr__(self, "_tip_by_id", {t.id: t for t in self.tips})
        by_topic: dict[str, list[Question]] = {}
        for question in self.questions:
            by_topic.setdefault(question.topic, []).append(question)
        grouped = {topic: tuple(items) for topic, items in by_topic.items()}
        object.__setattr__(self, "_questions_by_topic", grouped)
        actions = {a.id: (d, a) for d in self.checkup for a in d.actions}
        object.__setattr__(self, "_action_by_id", actions)

    def topic(self, topic_id: str) -> Topic | None:
        return self._topic_by_id.get(topic_id)

    def explainer_for(self, topic_id: str) -> Explainer | None:
        return self._explainer_by_topic.get(topic_id)

    def question(self, question_id: str) -> Question | None:
        return self._question_by_id.get(question_id)

    def tip(self, tip_id: str) -> Tip | None:
        return self._tip_by_id.get(tip_id)

    def questions_in(self, topic_id: str | None) -> tuple[Question, ...]:
        """Questions of one topic, or of all topics when topic_id is None."""
        if topic_id is None:
            return self.questions
        return self._questions_by_topic.get(topic_id, ())

    def checkup_day(self, day: int) -> CheckupDay | None:
        """Day `day` (1-based) of the check-up course."""
        return self.checkup[day - 1] if 1 <= day <= len(self.checkup) else None

    def checkup_action(self, action_id: str) -> tuple[CheckupDay, CheckupAction] | None:
        return self._action_by_id.get(action_id)

    def checkup_questions(self) -> tuple[Question, ...]:
        return tuple(q for day in self.checkup for q in day.check)

    def reviewed_items(self) -> Iterator[tuple[str, Reviewed]]:
        """(kind, item) for every item that carries review dates, in bank order."""
        yield from (("explainer", e) for e in self.explainers)
        yield from (("question", q) for q in self.questions)
        yield from (("tip", t) for t in self.tips)
        for day in self.checkup:
            yield "day", day
            yield from (("action", a) for a in day.actions)
            yield from (("question", q) for q in day.check)

    def quiz_questions(self, topic_id: str | None, today: dt.date) -> list[Question]:
        """The questions a quiz may ask: those whose time-bound claim is not past review."""
        return [q for q in self.questions_in(topic_id) if not q.freshness.is_stale(today)]

    def tips_in_rotation(self, today: dt.date) -> list[Tip]:
        """The tips /tip and the daily message may send: none past its review date."""
        return [tip for tip in self.tips if not tip.freshness.is_stale(today)]


def _first_by_topic(explainers: Iterable[Explainer]) -> dict[str, Explainer]:
    found: dict[str, Explainer] = {}
    for explainer in explainers:
        found.setdefault(explainer.topic, explainer)
    return found
