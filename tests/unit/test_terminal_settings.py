"""The terminal chat's daily-tip settings: time, zone, pause and resume, kept across sessions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.content import ContentBank
from bot.storage.database import Database
from tests.unit.terminal_script import fresh_database, run_chat

DAILY = "4"


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = fresh_database(tmp_path)
    yield db
    db.close()


def test_settings_changed_in_one_session_hold_in_the_next(
    content_bank: ContentBank, database
) -> None:
    typed = [DAILY, "t", "25:00", "8.30", "Atlantis", "Europe/Berlin", "p", "b", "q"]
    first = run_chat(content_bank, database, typed)
    assert "delivered by the running bot" in first
    assert "Status: off" in first
    assert "“25:00” is not a time I can use. That time does not exist" in first
    assert "Daily tips are on, every day at 08:30." in first
    assert "I found no time zone matching “Atlantis”." in first
    assert "Time zone set to Europe/Berlin." in first
    assert "Daily tips paused." in first

    later = run_chat(content_bank, database, [DAILY, "r", "b", "q"])
    panel = later.split("Daily tips\nStatus", 1)[1]
    assert panel.startswith(": paused\nTime: 08:30\nTime zone: Europe/Berlin (UTC+01:00")
    assert "Daily tips resumed." in later
    # 09:00 UTC is 10:00 in Berlin, so today's 08:30 has passed.
    assert "Status: on" in later
    assert "Next tip: tomorrow at 08:30" in later


def test_a_city_offers_its_zones_and_keeping_the_zone_is_fine(
    content_bank: ContentBank, database
) -> None:
    typed = [DAILY, "t", "07:00", "", "z", "kolkata", "1", "t", "07:15", "b", "q"]
    output = run_chat(content_bank, database, typed)
    assert "Not your time zone (UTC)?" in output
    assert "Time zones matching “kolkata”: pick yours (b = back)." in output
    assert "Time zone set to Asia/Kolkata." in output
    assert "Time changed." in output
    assert "Time: 07:15" in output
