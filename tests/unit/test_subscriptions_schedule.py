"""Due computation with a fake clock: zones, midnight, DST gaps and folds, odd offsets."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.local_time import decide, describe_next, next_due_after, send_instant

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
KATHMANDU = ZoneInfo("Asia/Kathmandu")
BERLIN = ZoneInfo("Europe/Berlin")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "wall", "expected"),
    [
        (KOLKATA, time(8, 30), utc(2026, 1, 15, 3, 0)),  # +05:30
        (KATHMANDU, time(8, 0), utc(2026, 1, 15, 2, 15)),  # +05:45
        (NEW_YORK, time(8, 0), utc(2026, 1, 15, 13, 0)),  # -05:00 in winter
        (NEW_YORK, time(8, 0), utc(2026, 7, 15, 12, 0)),  # -04:00 in summer
        (ZoneInfo("Australia/Eucla"), time(9, 0), utc(2026, 1, 15, 0, 15)),  # +08:45
    ],
)
def test_wall_time_becomes_the_right_utc_instant(
    zone: ZoneInfo, wall: time, expected: datetime
) -> None:
    assert send_instant(expected.astimezone(zone).date(), wall, zone) == expected


def test_spring_forward_gap_sends_at_first_valid_minute_new_york() -> None:
    # 2026-03-08: 02:00 EST jumps to 03:00 EDT, so 02:30 does not exist that day.
    instant = send_instant(date(2026, 3, 8), time(2, 30), NEW_YORK)
    assert instant == utc(2026, 3, 8, 7, 0)
    assert instant.astimezone(NEW_YORK).strftime("%H:%M %Z") == "03:00 EDT"


def test_spring_forward_gap_sends_at_first_valid_minute_london() -> None:
    # 2026-03-29: 01:00 GMT jumps to 02:00 BST.
    instant = send_instant(date(2026, 3, 29), time(1, 30), LONDON)
    assert instant.astimezone(LONDON).strftime("%H:%M %Z") == "02:00 BST"


@pytest.mark.parametrize(
    ("zone", "day", "first"),
    [
        (NEW_YORK, date(2026, 11, 1), "01:30 EDT"),  # 01:30 happens in EDT, then in EST
        (LONDON, date(2026, 10, 25), "01:30 BST"),  # 01:30 happens in BST, then in GMT
    ],
)
def test_fall_back_repeated_hour_sends_once(zone: ZoneInfo, day: date, first: str) -> None:
    instant = send_instant(day, time(1, 30), zone)
    assert instant.astimezone(zone).strftime("%H:%M %Z") == first
    # At the first 01:30 the tip is claimed for that date and the next one is tomorrow ...
    decision = decide(time(1, 30), zone, instant)
    assert decision.claim_date == day
    assert decision.next_due_at.astimezone(zone).date() == day + timedelta(days=1)
    # ... and at the second 01:30 (an hour later) the same date would be claimed again,
    # which the ledger's unique (user, local_date) refuses: the date, not the hour, is the key.
    second = decide(time(1, 30), zone, instant + timedelta(hours=1))
    assert second.claim_date == day


def test_not_due_before_the_time_and_due_at_it() -> None:
    before = decide(time(8, 30), BERLIN, utc(2026, 1, 15, 7, 29))
    assert before.claim_date is None
    assert before.next_due_at == utc(2026, 1, 15, 7, 30)
    at = decide(time(8, 30), BERLIN, utc(2026, 1, 15, 7, 30))
    assert at.claim_date == date(2026, 1, 15)
    assert at.next_due_at == utc(2026, 1, 16, 7, 30)


def test_local_date_not_utc_date_decides_across_midnight() -> None:
    # 00:15 in Kolkata is 18:45 UTC of the previous UTC day.
    now = utc(2026, 1, 14, 18, 45)
    decision = decide(time(0, 15), KOLKATA, now)
    assert decision.claim_date == date(2026, 1, 15)
    # 23:30 in New York is 04:30 UTC of the next UTC day.
    late = decide(time(23, 30), NEW_YORK, utc(2026, 1, 16, 4, 30))
    assert late.claim_date == date(2026, 1, 15)


def test_catch_up_after_downtime_sends_todays_tip_late() -> None:
    # Down from 07:00 to 11:00 Berlin time; the 08:30 tip still goes out today.
    decision = decide(time(8, 30), BERLIN, utc(2026, 1, 15, 10, 0))
    assert decision.claim_date == date(2026, 1, 15)
    assert decision.next_due_at == utc(2026, 1, 16, 7, 30)


def test_yesterdays_tip_is_never_sent_late() -> None:
    # Down from yesterday 07:00 until today 06:00 Berlin: yesterday's 08:30 tip is gone, and
    # today's 08:30 is still ahead, so nothing is sent now; the row waits for today's time.
    decision = decide(time(8, 30), BERLIN, utc(2026, 1, 15, 5, 0))
    assert decision.claim_date is None
    assert decision.next_due_at == utc(2026, 1, 15, 7, 30)


def test_yesterdays_late_evening_tip_is_dropped_after_midnight() -> None:
    # 23:59 Berlin tip, pass runs at 00:10 the next local day: the new day's 23:59 is ahead.
    decision = decide(time(23, 59), BERLIN, utc(2026, 1, 15, 23, 10))
    assert decision.claim_date is None
    assert decision.next_due_at == utc(2026, 1, 16, 22, 59)


def test_next_due_after_subscribing_is_today_if_ahead_else_tomorrow() -> None:
    now = utc(2026, 1, 15, 9, 0)  # 10:00 Berlin
    assert next_due_after(time(12, 0), BERLIN, now) == utc(2026, 1, 15, 11, 0)
    assert next_due_after(time(8, 0), BERLIN, now) == utc(2026, 1, 16, 7, 0)
    already = next_due_after(time(12, 0), BERLIN, now, delivered_today=True)
    assert already == utc(2026, 1, 16, 11, 0)


def test_next_due_is_always_in_the_future_over_a_year_of_minutes() -> None:
    # Walk a DST year in 7-hour-and-1-minute steps: decide never returns a past instant.
    now = utc(2026, 1, 1, 0, 0)
    for _ in range(1300):
        for zone in (NEW_YORK, LONDON, KATHMANDU):
            decision = decide(time(2, 30), zone, now)
            assert decision.next_due_at > now
        now += timedelta(hours=7, minutes=1)


def test_describe_next_in_local_words() -> None:
    now = utc(2026, 1, 15, 9, 0)
    assert describe_next(utc(2026, 1, 15, 11, 0), BERLIN, now) == "today at 12:00"
    assert describe_next(utc(2026, 1, 16, 7, 0), BERLIN, now) == "tomorrow at 08:00"
    assert describe_next(utc(2026, 1, 18, 7, 0), BERLIN, now) == "Sun 18 Jan at 08:00"
