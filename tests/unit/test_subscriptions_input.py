"""Typed times and time-zone search, as a user would type them."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.core.local_time import (
    BadTime,
    canonical_zone,
    format_hhmm,
    parse_hhmm,
    search_zones,
    selectable_zones,
    utc_offset_label,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("08:30", time(8, 30)), ("8:30", time(8, 30)), (" 21.05 ", time(21, 5)), ("7h00", time(7))],
)
def test_parse_hhmm_accepts_common_spellings(text: str, expected: time) -> None:
    assert parse_hhmm(text) == expected


@pytest.mark.parametrize("text", ["25:99", "24:00", "12:60", "noon", "", "8", "08:3", "1:2:3"])
def test_parse_hhmm_rejects_with_a_readable_reason(text: str) -> None:
    with pytest.raises(BadTime) as error:
        parse_hhmm(text)
    assert "HH:MM" in str(error.value) or "does not exist" in str(error.value)


def test_format_hhmm_pads() -> None:
    assert format_hhmm(time(7, 5)) == "07:05"


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Berlin", "Europe/Berlin"),
        ("Sao Paulo", "America/Sao_Paulo"),
        ("São Paulo", "America/Sao_Paulo"),
        ("sao_paulo", "America/Sao_Paulo"),
        ("new york", "America/New_York"),
        ("KOLKATA", "Asia/Kolkata"),
        ("kathmandu", "Asia/Kathmandu"),
        ("europe/london", "Europe/London"),
        ("UTC", "UTC"),
    ],
)
def test_search_finds_cities_accent_and_case_insensitively(query: str, first: str) -> None:
    assert search_zones(query)[0] == first


def test_search_ranks_exact_city_before_partial_matches() -> None:
    found = search_zones("Paris")
    assert found[0] == "Europe/Paris"


def test_search_by_region_lists_several_and_respects_the_limit() -> None:
    found = search_zones("Europe", limit=5)
    assert len(found) == 5
    assert all(name.startswith("Europe/") for name in found)


def test_search_for_nonsense_finds_nothing() -> None:
    assert search_zones("Mars Base") == []
    assert search_zones("   ") == []


def test_only_canonical_zones_are_offered() -> None:
    zones = selectable_zones()
    assert "Europe/Berlin" in zones
    assert not any(name.startswith(("Etc/", "US/", "posix/", "right/")) for name in zones)


def test_canonical_zone_fixes_case_and_refuses_unknown_names() -> None:
    assert canonical_zone("asia/kolkata") == "Asia/Kolkata"
    assert canonical_zone("Mars/Base") is None
    assert canonical_zone("../../etc/passwd") is None


def test_offset_label_follows_dst_and_odd_offsets() -> None:
    winter = datetime(2026, 1, 15, tzinfo=UTC)
    summer = datetime(2026, 7, 15, tzinfo=UTC)
    assert utc_offset_label(ZoneInfo("Europe/Berlin"), winter) == "UTC+01:00"
    assert utc_offset_label(ZoneInfo("Europe/Berlin"), summer) == "UTC+02:00"
    assert utc_offset_label(ZoneInfo("Asia/Kathmandu"), winter) == "UTC+05:45"
    assert utc_offset_label(ZoneInfo("America/St_Johns"), winter) == "UTC-03:30"
