"""Which items `@bot words` offers: word prefixes, folded case and accents, titles first, pages."""

from __future__ import annotations

import datetime as dt

from bot.core.content import (
    ContentBank,
    Difficulty,
    Explainer,
    Freshness,
    Platform,
    Question,
    Tip,
    Topic,
)
from bot.core.inline_search import PAGE_SIZE, Shareable, default_items, page_of, search

TODAY = dt.date(2026, 3, 10)
FRESH = Freshness(dt.date(2026, 1, 1))
STALE = Freshness(dt.date(2025, 1, 1), review_by=dt.date(2026, 3, 9))


def tip(tip_id: str, topic: str, title: str, text: str, freshness: Freshness = FRESH) -> Tip:
    return Tip(tip_id, topic, title, text, (Platform.ANY,), (), freshness)


def question(question_id: str, topic: str, text: str, options: tuple[str, ...]) -> Question:
    return Question(
        question_id, topic, Difficulty.EASY, text, options, 0, "Secret explanation", ()
    )


BANK = ContentBank(
    topics=(
        Topic("cctv", "CCTV everywhere", "Cameras in streets"),
        Topic("faces", "Face recognition", "Matching faces"),
    ),
    explainers=(
        Explainer("cctv-explainer", "cctv", "Cameras on every corner", "Guesses.", (), "", ()),
        Explainer("faces-explainer", "faces", "How face matching works", "A score.", (), "", ()),
    ),
    tips=(
        tip("cctv-tip01", "cctv", "Ask for your footage", "Write to the <b>operator</b>."),
        tip("cctv-tip02", "cctv", "Cover a doorbell lens", "Your neighbour's café camera."),
        tip("faces-tip01", "faces", "Opt out of a face search", "Ask the firm to delete you."),
        tip("faces-tip02", "faces", "An old claim about faces", "Past review.", STALE),
    ),
    questions=(
        question("cctv-q01", "cctv", "Who runs most cameras?", ("Shops", "Police")),
        question("faces-q01", "faces", "What does a match prove?", ("Nothing alone", "Identity")),
    ),
)


def keys(items: list[Shareable]) -> list[str]:
    return [item.key for item in items]


def test_empty_query_offers_each_topics_explainer_then_its_first_tip() -> None:
    expected = ["explainer:cctv-explainer", "explainer:faces-explainer"]
    expected += ["tip:cctv-tip01", "tip:faces-tip01"]
    assert keys(search(BANK, "", TODAY)) == expected
    assert keys(search(BANK, "  ?! ", TODAY)) == expected  # no words: the same offer
    assert keys(default_items(BANK, TODAY)) == expected


def test_words_match_as_prefixes_in_any_case_and_accent() -> None:
    assert keys(search(BANK, "FOOT", TODAY)) == ["tip:cctv-tip01"]
    assert keys(search(BANK, "cafe", TODAY)) == ["tip:cctv-tip02"]  # "café" in the text
    assert keys(search(BANK, "Opérator", TODAY)) == ["tip:cctv-tip01"]  # inside <b>...</b>
    assert search(BANK, "otage", TODAY) == []  # inside a word is not a match


def test_every_word_must_match_and_title_matches_come_first() -> None:
    # "face" is in three titles and the faces topic; "search" only in one title.
    assert keys(search(BANK, "face search", TODAY)) == ["tip:faces-tip01"]
    assert keys(search(BANK, "face", TODAY)) == [
        "explainer:faces-explainer",  # title "How face matching works"
        "tip:faces-tip01",  # title "Opt out of a face search"
    ]
    # Title matches ("Cameras on...", "Who runs most cameras?") before the tip whose text
    # has it, each group in bank order: explainers, tips, questions.
    assert keys(search(BANK, "camera", TODAY)) == [
        "explainer:cctv-explainer",
        "question:cctv-q01",
        "tip:cctv-tip02",
    ]


def test_questions_match_their_text_and_options_but_never_the_explanation() -> None:
    assert keys(search(BANK, "shops", TODAY)) == ["question:cctv-q01"]
    assert keys(search(BANK, "match prove", TODAY)) == ["question:faces-q01"]
    assert search(BANK, "secret explanation", TODAY) == []


def test_items_past_review_are_never_offered() -> None:
    assert search(BANK, "old claim", TODAY) == []
    assert keys(search(BANK, "old claim", dt.date(2026, 3, 9))) == ["tip:faces-tip02"]


def test_pages_cover_every_item_once_and_end_with_no_offset() -> None:
    items = search(BANK, "", TODAY) * 30  # 120 items
    first = page_of(items, "")
    second = page_of(items, first.next_offset)
    third = page_of(items, second.next_offset)
    assert [len(p.items) for p in (first, second, third)] == [PAGE_SIZE, PAGE_SIZE, 20]
    assert (first.next_offset, second.next_offset, third.next_offset) == ("50", "100", "")
    assert first.items + second.items + third.items == tuple(items)
    assert page_of(items[:PAGE_SIZE], "").next_offset == ""  # exactly one full page
    assert page_of(items, "500").items == ()
    assert page_of(items, "-1") == page_of(items, "x") == page_of(items, "[]")
    assert page_of(items, "x").items == ()
