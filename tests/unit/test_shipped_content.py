"""The bank we ship passes `content check` with margins, and keeps the size the bot promises.

Every rule lives in `bot.contentbank.quality` (tested rule by rule in test_content_rules), so an
operator's bank and ours get the same verdict. These tests add what only the shipped bank
promises: its size, its margins on the cue statistics, and ids that users' progress refers to.
"""

from __future__ import annotations

import datetime as dt

from bot.config import DEFAULT_CONTENT_DIR as CONTENT_DIR
from bot.contentbank.loader import check_content
from bot.core.content import ContentBank

# Ids that existing users' progress and share links refer to: never renamed.
STABLE_TOPICS = {
    "cctv",
    "face-recognition",
    "china-networks",
    "social-credit",
    "video-analytics",
    "clearview",
    "body-cameras",
    "borders",
    "rights",
    "self-defence",
}


def test_shipped_bank_passes_content_check() -> None:
    report = check_content(CONTENT_DIR, dt.date.today())
    assert [str(p) for p in report.problems] == []


def test_a_test_wise_guesser_does_no_better_than_chance() -> None:
    stats = check_content(CONTENT_DIR, dt.date.today()).stats
    assert stats.pick_longest <= 0.30
    assert stats.pick_shortest <= 0.30
    assert abs(stats.absolute_gap) <= 0.05
    assert stats.applied >= 0.6


def test_shipped_bank_size(content_bank: ContentBank) -> None:
    assert len(content_bank.topics) >= 15
    assert len(content_bank.questions) >= 180
    assert len(content_bank.tips) >= 150


def test_existing_topic_ids_are_kept(content_bank: ContentBank) -> None:
    assert {topic.id for topic in content_bank.topics} >= STABLE_TOPICS


def test_every_item_has_been_reviewed(content_bank: ContentBank) -> None:
    reviewed = [item.freshness.reviewed for _, item in content_bank.reviewed_items()]
    assert min(reviewed).year >= 2026
