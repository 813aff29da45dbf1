"""The content file schema: what an author may write in a YAML file, checked field by field.

These pydantic models describe one file. They enforce per-item rules (Telegram's limits, HTML,
option counts); rules that span files (unique ids, known topics) live in `loader`. The JSON
Schema editors use is generated from these models (`python -m bot content schema`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Self
from urllib.parse import urlparse

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from bot.contentbank import limits
from bot.core import content as core
from bot.core.telegram_html import TelegramHtmlError, parse, utf16_length


def _telegram_html(max_length: int) -> AfterValidator:
    """A validator for an HTML field: Telegram must accept it and it must fit `max_length`."""

    def check(value: str) -> str:
        try:
            parsed = parse(value)
        except TelegramHtmlError as exc:
            raise ValueError(f"Telegram would reject this HTML: {exc}") from None
        if not parsed.text:
            raise ValueError("is empty once HTML is removed")
        if parsed.length > max_length:
            raise ValueError(f"is {parsed.length} characters after HTML parsing; max {max_length}")
        if parsed.entity_count > limits.MESSAGE_ENTITIES_MAX:
            raise ValueError(f"has {parsed.entity_count} formatting tags; Telegram shows 100")
        return value.strip()

    return AfterValidator(check)


def _plain(max_length: int) -> AfterValidator:
    """A validator for a plain-text field, measured the way Telegram measures (UTF-16)."""

    def check(value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be empty")
        if utf16_length(value) > max_length:
            raise ValueError(f"is {utf16_length(value)} characters; max {max_length}")
        return value

    return AfterValidator(check)


def _web_url(value: str) -> str:
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or re.search(r"\s", value):
        raise ValueError(f"is not a well-formed http(s) URL: {value!r}")
    return value


def _iso_date(value: str) -> str:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"is not a date in the form YYYY-MM-DD: {value!r}") from None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"is not a date in the form YYYY-MM-DD: {value!r}")
    return value


_SECTION_ONLY_PATHS = frozenset({"", "news", "en", "en-us", "en-gb", "home", "index.html"})


def _not_a_homepage(value: str) -> str:
    """A citation must open the page that says it; a site's front page proves nothing."""
    parsed = urlparse(value)
    if parsed.path.strip("/").casefold() in _SECTION_ONLY_PATHS and not parsed.query:
        raise ValueError(f"is a site's home or section page, not the article: {value}")
    return value


ItemId = Annotated[str, Field(pattern=limits.ID_PATTERN, description="Stable id, never reused")]
TopicRef = Annotated[str, Field(pattern=limits.ID_PATTERN, description="Id of a known topic")]
Url = Annotated[str, AfterValidator(_web_url)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


PartialDate = Annotated[str, Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]
IsoDate = Annotated[str, AfterValidator(_iso_date)]


class SourceDoc(_Strict):
    """A citation of one specific page: when it was published, or when a live page was read."""

    title: Annotated[str, _plain(300)]
    publisher: Annotated[str, _plain(120)]
    date: PartialDate | None = Field(
        default=None, description="Publication date: YYYY, YYYY-MM or YYYY-MM-DD"
    )
    retrieved: IsoDate | None = Field(
        default=None,
        description="For live pages (agency FAQs, help pages, policies): when it was read",
    )
    url: Annotated[Url, AfterValidator(_not_a_homepage)]

    @model_validator(mode="after")
    def _dated(self) -> Self:
        if self.date is None and self.retrieved is None:
            raise ValueError(
                "date: a source needs its publication date, or `retrieved` for a live page"
            )
        return self

    def to_core(self) -> core.Source:
        return core.Source(
            self.title, self.url, self.publisher, self.date or "", self.retrieved or ""
        )


Sources = Annotated[list[SourceDoc], Field(min_length=1, description="At least one source")]


class _Reviewed(_Strict):
    """An item a person has checked against its sources, and until when that check holds."""

    reviewed: Annotated[
        IsoDate, Field(description="When someone last checked this item against its sources")
    ]
    review_by: (
        Annotated[
            IsoDate,
            Field(
                description="For time-bound claims (a law's status, a setting, a count): "
                "after this date the item leaves rotation until it is reviewed again"
            ),
        ]
        | None
    ) = None

    @model_validator(mode="after")
    def _review_order(self) -> Self:
        if self.review_by is not None and self.review_by <= self.reviewed:
            raise ValueError("review_by: must be later than `reviewed`")
        return self

    def freshness(self) -> core.Freshness:
        return core.Freshness(
            dt.date.fromisoformat(self.reviewed),
            dt.date.fromisoformat(self.review_by) if self.review_by else None,
        )


class TopicDoc(_Strict):
    id: ItemId
    title: Annotated[str, _plain(limits.BUTTON_TITLE_MAX)]
    summary: Annotated[str, _plain(limits.SUMMARY_MAX)]

    def to_core(self) -> core.Topic:
        return core.Topic(self.id, self.title, self.summary)


class ExplainerDoc(_Reviewed):
    id: ItemId
    topic: TopicRef
    title: Annotated[str, _plain(limits.TITLE_MAX)]
    summary: Annotated[str, _plain(limits.SUMMARY_MAX)]
    pages: Annotated[
        list[Annotated[str, _telegram_html(limits.PAGE_MAX)]], Field(min_length=1, max_length=10)
    ]
    what_you_can_do: Annotated[str, _telegram_html(limits.PAGE_MAX)]
    sources: Sources

    def to_core(self) -> core.Explainer:
        return core.Explainer(
            self.id,
            self.topic,
            self.title,
            self.summary,
            tuple(self.pages),
            self.what_you_can_do,
            tuple(s.to_core() for s in self.sources),
            self.freshness(),
        )


class _QuestionBody(_Reviewed):
    """What every quiz poll needs, in the bank's questions and the check-up's checks alike."""

    id: ItemId
    difficulty: core.Difficulty
    style: Annotated[
        core.QuestionStyle,
        Field(description="scenario/decision: apply what you know; concept: why; recall: a fact"),
    ]
    question: Annotated[str, _plain(limits.POLL_QUESTION_MAX)]
    options: Annotated[
        list[Annotated[str, _plain(limits.POLL_OPTION_MAX)]],
        Field(min_length=limits.POLL_OPTIONS_MIN, max_length=limits.POLL_OPTIONS_MAX),
    ]
    correct: Annotated[int, Field(ge=0, description="0-based index of the correct option")]
    explanation: Annotated[str, _plain(limits.EXPLANATION_MAX)]
    sources: Sources

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.correct >= len(self.options):
            raise ValueError(
                f"correct: {self.correct} is out of range for {len(self.options)} options "
                f"(0-based, so 0..{len(self.options) - 1})"
            )
        if len({o.casefold() for o in self.options}) != len(self.options):
            raise ValueError("options: two options are the same; Telegram rejects duplicates")
        if self.explanation.count("\n") > limits.EXPLANATION_LINE_FEEDS_MAX:
            raise ValueError(
                f"explanation: has {self.explanation.count(chr(10))} line breaks; "
                f"Telegram allows {limits.EXPLANATION_LINE_FEEDS_MAX}"
            )
        return self

    def question_of(self, topic: str, excludes: tuple[str, ...] = ()) -> core.Question:
        return core.Question(
            self.id,
            topic,
            self.difficulty,
            self.question,
            tuple(self.options),
            self.correct,
            self.explanation,
            tuple(s.to_core() for s in self.sources),
            self.style,
            excludes,
            self.freshness(),
        )


class QuestionDoc(_QuestionBody):
    topic: TopicRef
    excludes: Annotated[
        list[ItemId],
        Field(description="Questions that would give this one away: never in the same quiz"),
    ] = Field(default_factory=list)

    def to_core(self) -> core.Question:
        return self.question_of(self.topic, tuple(self.excludes))


class TipDoc(_Reviewed):
    id: ItemId
    topic: TopicRef
    title: Annotated[str, _plain(limits.TITLE_MAX)]
    text: Annotated[str, _telegram_html(limits.PAGE_MAX)]
    platforms: Annotated[list[core.Platform], Field(min_length=1)]
    sources: Sources

    def to_core(self) -> core.Tip:
        return core.Tip(
            self.id,
            self.topic,
            self.title,
            self.text,
            tuple(self.platforms),
            tuple(s.to_core() for s in self.sources),
            self.freshness(),
        )


CHECKUP_TOPIC = "checkup"
"""The topic a check-up question carries in the core record (it belongs to no bank topic)."""
CHECKUP_PLATFORMS = (core.Platform.ANDROID, core.Platform.IOS, core.Platform.WEB)


class CheckupActionDoc(_Reviewed):
    """One thing to do, on one platform (or `any`): product settings change, so give review_by."""

    id: ItemId
    platform: core.Platform
    title: Annotated[
        str, _plain(limits.BUTTON_TITLE_MAX), Field(description="Short name for /checklist")
    ]
    text: Annotated[str, _telegram_html(limits.ACTION_MAX)]
    sources: Sources

    def to_core(self) -> core.CheckupAction:
        return core.CheckupAction(
            self.id,
            self.platform,
            self.title,
            self.text,
            tuple(s.to_core() for s in self.sources),
            self.freshness(),
        )


class CheckQuestionDoc(_QuestionBody):
    """A check-up poll: the bank's question fields, without a topic."""


class CheckupDayDoc(_Reviewed):
    """One day of the check-up course: a lesson, an action for every platform, two polls."""

    id: ItemId
    day: Annotated[int, Field(ge=1, le=limits.CHECKUP_DAYS_MAX, description="1-based day")]
    title: Annotated[str, _plain(limits.BUTTON_TITLE_MAX)]
    lesson: Annotated[str, _telegram_html(limits.LESSON_MAX)]
    actions: Annotated[list[CheckupActionDoc], Field(min_length=1)]
    check: Annotated[list[CheckQuestionDoc], Field(min_length=2, max_length=2)]
    sources: Sources

    @model_validator(mode="after")
    def _every_platform(self) -> Self:
        platforms = [a.platform for a in self.actions]
        twice = sorted({p.value for p in platforms if platforms.count(p) > 1})
        if twice:
            raise ValueError(f"actions: more than one action for {', '.join(twice)}")
        if core.Platform.ANY not in platforms:
            missing = [p.value for p in CHECKUP_PLATFORMS if p not in platforms]
            if missing:
                raise ValueError(
                    f"actions: no action for {', '.join(missing)}; add one or one for `any`"
                )
        return self

    def to_core(self) -> core.CheckupDay:
        return core.CheckupDay(
            self.id,
            self.day,
            self.title,
            self.lesson,
            tuple(a.to_core() for a in self.actions),
            tuple(q.question_of(CHECKUP_TOPIC) for q in self.check),
            tuple(s.to_core() for s in self.sources),
            self.freshness(),
        )


class ContentFileDoc(_Strict):
    """One YAML file of the content bank; every section is optional."""

    topics: list[TopicDoc] = Field(default_factory=list)
    explainers: list[ExplainerDoc] = Field(default_factory=list)
    questions: list[QuestionDoc] = Field(default_factory=list)
    tips: list[TipDoc] = Field(default_factory=list)
    checkup: list[CheckupDayDoc] = Field(
        default_factory=list, description="The check-up course, one item per day"
    )


SECTIONS = ("topics", "explainers", "questions", "tips", "checkup")
ItemDoc = TopicDoc | ExplainerDoc | QuestionDoc | TipDoc | CheckupDayDoc
ITEM_MODELS: dict[str, type[ItemDoc]] = {
    "topics": TopicDoc,
    "explainers": ExplainerDoc,
    "questions": QuestionDoc,
    "tips": TipDoc,
    "checkup": CheckupDayDoc,
}
KINDS = {
    "topics": "topic",
    "explainers": "explainer",
    "questions": "question",
    "tips": "tip",
    "checkup": "day",
}
"""What one item of a section is called in error messages ("day checkup-day-1")."""
NESTED_KINDS = {"actions": "action", "check": "question"}
"""The items inside a check-up day, named the same way."""


def json_schema() -> dict[str, object]:
    """The JSON Schema for one content file, for editors' YAML plugins."""
    schema = ContentFileDoc.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Privacy-awareness bot content file"
    return schema
