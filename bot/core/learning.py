"""Explainers as pages, their sources, and share links: what /learn and deep links serve."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.core.content import UNREVIEWED, ContentBank, Explainer, Source, Topic
from bot.core.telegram_html import escape

# Deep-link payloads Telegram passes to /start: "topic_<id>" or "quiz_<id>".
_PAYLOAD = re.compile(r"^(topic|quiz)_([a-z0-9][a-z0-9-]{1,31})$")


@dataclass(frozen=True, slots=True)
class ExplainerPage:
    """One screen of an explainer; the last one is the summary and "what you can do"."""

    topic: Topic
    explainer: Explainer
    index: int
    total: int
    body: str  # Telegram HTML from the content bank
    is_last: bool


class LinkKind(StrEnum):
    TOPIC = "topic"
    QUIZ = "quiz"


@dataclass(frozen=True, slots=True)
class DeepLink:
    kind: LinkKind
    topic_id: str


def page_count(explainer: Explainer) -> int:
    return len(explainer.pages) + 1


def explainer_page(bank: ContentBank, topic_id: str, index: int) -> ExplainerPage | None:
    """Page `index` of a topic's explainer, or None for an unknown topic or page."""
    topic = bank.topic(topic_id)
    explainer = bank.explainer_for(topic_id)
    if topic is None or explainer is None:
        return None
    total = page_count(explainer)
    if not 0 <= index < total:
        return None
    body = explainer.pages[index] if index < len(explainer.pages) else closing_page(explainer)
    return ExplainerPage(topic, explainer, index, total, body, index == total - 1)


def closing_page(explainer: Explainer) -> str:
    """The page after the last content page: the one-line summary, what to do, when checked."""
    page = (
        f"<b>In one line:</b> {escape(explainer.summary)}\n\n"
        f"<b>What you can do</b>\n{explainer.what_you_can_do}"
    )
    checked = explainer.freshness.reviewed
    if checked != UNREVIEWED.reviewed:
        page += f"\n\n<i>Checked: {checked:%B %Y}</i>"
    return page


def sources_for(bank: ContentBank, topic_id: str) -> tuple[Source, ...]:
    """The sources behind a topic's explainer (empty for an unknown topic)."""
    explainer = bank.explainer_for(topic_id)
    return explainer.sources if explainer else ()


def parse_deep_link(payload: str) -> DeepLink | None:
    match = _PAYLOAD.match(payload)
    if match is None:
        return None
    return DeepLink(LinkKind(match.group(1)), match.group(2))


def share_url(bot_username: str, link: DeepLink) -> str:
    """A t.me link that opens this topic or quiz for whoever taps it."""
    return f"https://t.me/{bot_username}?start={link.kind}_{link.topic_id}"
