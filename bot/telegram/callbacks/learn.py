"""Explainer buttons: open a topic, turn a page, list the sources.

Opening (`learn:<topic>`) sends a new message below the topic list; turning a page
(`learn:<topic>:<page>`) edits the explainer in place: two kinds, two patterns.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.telegram.callbacks.codec import ID, checked, full, match_of
from bot.telegram.context import Context

# Pages are written without leading zeros, so each page has exactly one spelling.
OPEN_PATTERN = full(rf"learn:(?P<topic>{ID})")
PAGE_PATTERN = full(rf"learn:(?P<topic>{ID}):(?P<page>0|[1-9][0-9]?)")
SOURCES_PATTERN = full(rf"src:(?P<topic>{ID})")


@dataclass(frozen=True, slots=True)
class PageTurn:
    topic_id: str
    page: int


def open_topic(topic_id: str) -> str:
    """Open a topic's explainer in a new message (the message with the button stays)."""
    return checked(f"learn:{topic_id}", OPEN_PATTERN)


def turn_page(topic_id: str, page: int) -> str:
    """Turn an explainer's message to `page` (0-based) in place."""
    return checked(f"learn:{topic_id}:{page}", PAGE_PATTERN)


def sources(topic_id: str) -> str:
    return checked(f"src:{topic_id}", SOURCES_PATTERN)


def opened_topic(context: Context) -> str:
    """The topic id of an OPEN_PATTERN button (the content bank may not know it)."""
    return match_of(context)["topic"]


def turned_page(context: Context) -> PageTurn:
    match = match_of(context)
    return PageTurn(match["topic"], int(match["page"]))


def sources_topic(context: Context) -> str:
    return match_of(context)["topic"]
