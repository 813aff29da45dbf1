"""Progress: streaks by the user's own calendar, mastery, accuracy."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.content import ContentBank, Difficulty, Question, Topic
from bot.core.local_time import local_date, zone_of
from bot.core.progress import mastery, streak, summarize
from bot.core.records import Memory

D = date(2026, 3, 10)


def days(*offsets: int) -> list[date]:
    return [D + timedelta(days=o) for o in offsets]


def test_streak_counts_consecutive_days_up_to_today() -> None:
    assert streak(days(-2, -1, 0), today=D).current == 3


def test_streak_survives_until_the_end_of_the_next_day() -> None:
    assert streak(days(-2, -1), today=D).current == 2


def test_streak_breaks_after_a_missed_day_but_best_remembers() -> None:
    result = streak(days(-10, -9, -8, -7, -2), today=D)
    assert result.current == 0
    assert result.best == 4


def test_no_activity_no_streak() -> None:
    assert streak([], today=D) == streak([], today=D).__class__(0, 0)


def test_local_date_follows_the_users_zone_across_midnight() -> None:
    moment = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)
    assert local_date(ZoneInfo("UTC"), moment) == date(2026, 3, 10)
    assert local_date(ZoneInfo("Asia/Kolkata"), moment) == date(2026, 3, 11)  # 05:00 next day
    assert local_date(ZoneInfo("America/New_York"), moment) == date(2026, 3, 10)  # 19:30
    early = datetime(2026, 3, 11, 3, 0, tzinfo=UTC)
    assert local_date(ZoneInfo("America/Los_Angeles"), early) == date(2026, 3, 10)


def test_quizzes_before_and_after_local_midnight_make_a_two_day_streak() -> None:
    zone = ZoneInfo("Asia/Kathmandu")  # +05:45
    first = datetime(2026, 3, 10, 18, 10, tzinfo=UTC)  # 23:55 local
    second = first + timedelta(minutes=10)  # 00:05 local, next day
    active = {local_date(zone, first), local_date(zone, second)}
    assert streak(active, today=local_date(zone, second)).current == 2


def test_bad_stored_zone_falls_back_to_default() -> None:
    default = ZoneInfo("Europe/Berlin")
    assert zone_of("Not/AZone", default) is default
    assert zone_of(None, default) is default
    assert zone_of("Asia/Tokyo", default).key == "Asia/Tokyo"


def bank() -> ContentBank:
    def q(n: int, topic: str) -> Question:
        return Question(f"{topic}-q{n}", topic, Difficulty.EASY, "?", ("a", "b"), 0, "", ())

    return ContentBank(
        topics=(Topic("aa", "A", "a"), Topic("bb", "B", "b")),
        questions=(q(1, "aa"), q(2, "aa"), q(1, "bb")),
    )


def test_mastery_counts_questions_last_answered_right() -> None:
    memory = [
        Memory("aa-q1", 2, 1, True, None, None),
        Memory("aa-q2", 1, 0, False, 0, None),
    ]
    rows = {m.topic_id: (m.mastered, m.total) for m in mastery(bank(), memory)}
    assert rows == {"aa": (1, 2), "bb": (0, 1)}


def test_summary_ignores_questions_removed_from_the_bank() -> None:
    now = datetime(2026, 3, 10, 9, tzinfo=UTC)
    memory = [
        Memory("aa-q1", 3, 2, True, None, None),
        Memory("gone-q9", 5, 5, True, 0, now - timedelta(days=1)),
    ]
    summary = summarize(
        bank(), memory, explainers_read=0, tips_seen=0, active_days=[], today=D, now=now
    )
    assert (summary.answered, summary.correct, summary.reviews_due) == (3, 2, 0)
    assert round(summary.accuracy, 2) == 0.67
