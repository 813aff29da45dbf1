"""The progress card's pure rules: its caption, contrast maths and the weekly rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.core.card import (
    CAPTION_MAX,
    CardFacts,
    TopicBar,
    caption,
    contrast_ratio,
    week_start,
    weekly_card_due,
)


def facts(topics: int = 3, **changes: object) -> CardFacts:
    base = {
        "as_of": date(2026, 3, 10),
        "streak_current": 1,
        "streak_best": 4,
        "answered": 12,
        "accuracy_percent": 75,
        "reviews_due": 2,
        "topics": tuple(TopicBar(f"Topic {i}", i, 10) for i in range(topics)),
    }
    base.update(changes)
    return CardFacts(**base)  # type: ignore[arg-type]


def test_caption_says_every_number_on_the_card() -> None:
    text = caption(facts())
    assert text.splitlines() == [
        "📊 Your progress card (10 March 2026)",
        "Streak: 1 day (best 4)",
        "Answers: 12, 75% right",
        "Reviews due: 2",
        "Mastery by topic:",
        "• Topic 0: 0 of 10",
        "• Topic 1: 1 of 10",
        "• Topic 2: 2 of 10",
    ]


def test_actions_appear_once_the_bot_counts_them() -> None:
    assert "Actions done" not in caption(facts())
    assert "Actions done: 3" in caption(facts(actions_done=3))


def test_caption_of_many_long_topics_stays_within_telegram_limit() -> None:
    long_topics = tuple(TopicBar(f"A rather long topic title number {i}", 1, 9) for i in range(60))
    crowded = caption(_with(long_topics))
    assert len(crowded.encode("utf-16-le")) // 2 <= CAPTION_MAX
    assert crowded.endswith("more topics")
    assert "• A rather long topic title number 0: 1 of 9" in crowded
    shown = crowded.count("• ")
    assert f"…and {60 - shown} more topics" in crowded


def _with(topics: tuple[TopicBar, ...]) -> CardFacts:
    return CardFacts(date(2026, 3, 10), 0, 0, 0, 0, 0, topics)


def test_contrast_ratio_matches_the_wcag_extremes() -> None:
    assert round(contrast_ratio((0, 0, 0), (255, 255, 255)), 1) == 21.0
    assert (
        contrast_ratio((119, 119, 119), (255, 255, 255))
        < 4.5
        < contrast_ratio((118, 118, 118), (255, 255, 255))
    )


def test_week_starts_on_monday() -> None:
    assert week_start(date(2026, 3, 15)) == date(2026, 3, 9)  # Sunday -> the Monday before
    assert week_start(date(2026, 3, 16)) == date(2026, 3, 16)


def test_weekly_card_is_due_once_the_tip_time_passes_in_a_week_not_yet_served() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    monday_early = datetime(2026, 3, 16, 6, 59, tzinfo=UTC)  # 07:59 in Berlin
    monday_eight = datetime(2026, 3, 16, 7, 0, tzinfo=UTC)
    served = date(2026, 3, 9)
    assert weekly_card_due(monday_early, berlin, time(8), served) is None
    assert weekly_card_due(monday_eight, berlin, time(8), served) == date(2026, 3, 16)
    assert weekly_card_due(monday_eight, berlin, time(8), date(2026, 3, 16)) is None
    # A bot down all Monday catches up on Tuesday.
    tuesday = datetime(2026, 3, 17, 12, 0, tzinfo=UTC)
    assert weekly_card_due(tuesday, berlin, time(8), served) == date(2026, 3, 16)
    # No daily tips: the default time.
    assert weekly_card_due(monday_eight, berlin, None, served) is None
    assert weekly_card_due(datetime(2026, 3, 16, 8, 0, tzinfo=UTC), berlin, None, None) == date(
        2026, 3, 16
    )


def test_the_week_is_the_readers_own() -> None:
    """Sunday 23:30 UTC is already Monday in Tokyo."""
    late_sunday = datetime(2026, 3, 15, 23, 30, tzinfo=UTC)
    assert weekly_card_due(late_sunday, ZoneInfo("Asia/Tokyo"), time(8), None) == date(2026, 3, 16)
    assert weekly_card_due(late_sunday, ZoneInfo("UTC"), time(8), None) == date(2026, 3, 9)
