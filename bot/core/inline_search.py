"""What `@bot words` offers in any chat: which tips, explainers and questions match, in what order.

Inline mode shares content into other people's chats, so it offers only what the bot would send
itself today: tips and questions from the bank's in-rotation lists, explainers not past their
review date. Matching is by word prefix, so results narrow as the user types ("fac" already finds
"face"), with case and accents folded so "Reconnaissance" and "reconnaissánce" meet. Items whose
title matches come first; otherwise the bank's order is kept, which is the order authors chose.

Nothing here keeps the query: it may be sensitive (people search for what worries them).
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from bot.core.content import ContentBank, Explainer, Question, Tip

# Telegram accepts at most 50 results per answer; more come page by page through next_offset.
PAGE_SIZE = 50
# Telegram caps inline queries at 256 characters; a bound on words keeps a pasted essay cheap.
MAX_QUERY_WORDS = 12

_WORD = re.compile(r"\w+")
_TAG = re.compile(r"<[^>]*>")
_OFFSET = re.compile(r"[0-9]{1,6}")


class ItemKind(StrEnum):
    EXPLAINER = "explainer"
    TIP = "tip"
    QUESTION = "question"


@dataclass(frozen=True, slots=True)
class Shareable:
    """One item an inline answer can offer; `key` is unique within the bank and short."""

    kind: ItemKind
    item: Explainer | Tip | Question

    @property
    def key(self) -> str:
        """The result id: kind and item id (ids are at most 32 characters, Telegram allows 64)."""
        return f"{self.kind}:{self.item.id}"

    @property
    def topic_id(self) -> str:
        return self.item.topic


@dataclass(frozen=True, slots=True)
class Page:
    """One answer's worth of items; `next_offset` is "" when there is nothing more."""

    items: tuple[Shareable, ...]
    next_offset: str


def fold(text: str) -> str:
    """Lower case without accents: "Café" and "cafe" are the same word to a searcher."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded words of plain text (markup and entities removed first)."""
    plain = html.unescape(_TAG.sub(" ", text))
    return _WORD.findall(fold(plain))


def query_words(query: str) -> list[str]:
    """The words a query asks for, at most MAX_QUERY_WORDS, duplicates dropped."""
    return list(dict.fromkeys(words(query)))[:MAX_QUERY_WORDS]


def shareable_items(bank: ContentBank, today: dt.date) -> list[Shareable]:
    """Everything inline mode may offer today, in bank order: explainers, tips, questions."""
    explainers = [e for e in bank.explainers if not e.freshness.is_stale(today)]
    return [
        *(Shareable(ItemKind.EXPLAINER, e) for e in explainers),
        *(Shareable(ItemKind.TIP, t) for t in bank.tips_in_rotation(today)),
        *(Shareable(ItemKind.QUESTION, q) for q in bank.quiz_questions(None, today)),
    ]


def default_items(bank: ContentBank, today: dt.date) -> list[Shareable]:
    """The empty query's offer: every topic's explainer, then each topic's first tip."""
    items = shareable_items(bank, today)
    explainers = [s for s in items if s.kind is ItemKind.EXPLAINER]
    first_tips = {s.topic_id: s for s in reversed(items) if s.kind is ItemKind.TIP}
    tips = [first_tips[topic.id] for topic in bank.topics if topic.id in first_tips]
    return explainers + tips


def search(bank: ContentBank, query: str, today: dt.date) -> list[Shareable]:
    """Items where every query word starts some word of the item; title matches first.

    An empty query (or one with no words, such as "?!") gets `default_items`.
    """
    wanted = query_words(query)
    if not wanted:
        return default_items(bank, today)
    scored: list[tuple[int, int, Shareable]] = []
    for index, shareable in enumerate(shareable_items(bank, today)):
        title, body = _searchable(bank, shareable)
        everything = title + body
        if all(_starts_any(word, everything) for word in wanted):
            title_hits = sum(1 for word in wanted if _starts_any(word, title))
            scored.append((-title_hits, index, shareable))
    scored.sort(key=lambda entry: entry[:2])
    return [shareable for _, _, shareable in scored]


def page_of(items: list[Shareable], offset: str, size: int = PAGE_SIZE) -> Page:
    """The page starting at `offset` (the previous page's next_offset; "" for the first).

    Telegram sends back only offsets we gave it, so anything else gets an empty page.
    """
    if offset == "":
        start = 0
    elif _OFFSET.fullmatch(offset):
        start = int(offset)
    else:
        return Page((), "")
    chosen = tuple(items[start : start + size])
    end = start + len(chosen)
    return Page(chosen, str(end) if chosen and end < len(items) else "")


def _searchable(bank: ContentBank, shareable: Shareable) -> tuple[list[str], list[str]]:
    """(title words, other words) of what the shared message shows; never a quiz's answer."""
    item = shareable.item
    if isinstance(item, Explainer):
        topic = bank.topic(item.topic)
        topic_text = [topic.title, topic.summary] if topic else []
        return words(item.title), _words_of([item.summary, *topic_text])
    if isinstance(item, Tip):
        return words(item.title), words(item.text)
    return words(item.question), _words_of(item.options)


def _words_of(texts: Iterable[str]) -> list[str]:
    return [word for text in texts for word in words(text)]


def _starts_any(prefix: str, candidates: Iterable[str]) -> bool:
    return any(candidate.startswith(prefix) for candidate in candidates)
