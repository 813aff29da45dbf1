"""The terminal chat's tips with their actions, the check-up, and the checklist."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.checkup import CHOOSABLE_PLATFORMS
from bot.core.content import ContentBank, Platform, Tip
from bot.storage.database import Database
from tests.unit.terminal_script import fresh_database, run_chat

TIP, CHECKUP, PROGRESS = "3", "5", "6"


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = fresh_database(tmp_path)
    yield db
    db.close()


def tip_shown(bank: ContentBank, output: str) -> Tip:
    titles = [line.removeprefix("💡 ").strip() for line in output.splitlines() if "💡" in line]
    return next(t for t in bank.tips if t.title == titles[-1])


def platform_key(tip: Tip) -> str:
    """The number of a device the tip is for (any device: the first)."""
    fits = [p for p in CHOOSABLE_PLATFORMS if p in tip.platforms or Platform.ANY in tip.platforms]
    return str(CHOOSABLE_PLATFORMS.index(fits[0]) + 1)


def test_tips_do_not_repeat_until_all_are_seen(content_bank: ContentBank, database) -> None:
    output = run_chat(content_bank, database, [TIP, "a", "a", "b", "q"])
    shown = [line for line in output.splitlines() if line.startswith("💡")]
    assert len(shown) == 3
    assert len(set(shown)) == 3
    left = len(content_bank.tips) - 3
    assert f"{left} new tips left of {len(content_bank.tips)}." in output


def test_a_tip_ticked_done_shows_in_progress(content_bank: ContentBank, database) -> None:
    first = run_chat(content_bank, database, [TIP, "d", "b", "q"])
    assert "Nice work! Marked as done." in first
    tip = tip_shown(content_bank, first)
    later = run_chat(content_bank, database, [PROGRESS, "l", platform_key(tip), "b", "q"])
    assert f"1/{len(content_bank.tips)} tips seen" in later
    done = later.split("Done: ", 1)[1].split("Left: ", 1)[0]
    assert done.startswith("1\n")
    assert f"• {tip.title}" in done


def test_remind_me_and_not_for_me_are_recorded(content_bank: ContentBank, database) -> None:
    output = run_chat(content_bank, database, [TIP, "r", "x", "w", "b", "q"])
    assert "I'll remind you in 3 days" in output
    assert "Got it, I won't count this one." in output
    assert "Please type d, x, r, a or b, or q to quit." in output


def test_checkup_day_one_then_the_next_day_now(content_bank: ContentBank, database) -> None:
    total = len(content_bank.checkup)
    typed = [CHECKUP, "1", "d", "n", "b", PROGRESS, "b", "q"]
    output = run_chat(content_bank, database, typed, right=[True, False, True, True])
    step = content_bank.checkup[0].action_for(Platform.ANDROID)
    assert step is not None
    assert f"== Check-up · day 1 of {total} ==" in output
    assert f"Your step (Android): {step.title}" in output
    assert output.count("Right!") == 3  # the two questions of each day, one answered wrong
    assert "Not quite" in output
    assert f"== Check-up · day 2 of {total} ==" in output
    assert f"Check-up: day 2 of {total} · steps done 1" in output


def test_the_checkup_resumes_on_its_day_without_asking_the_device_again(
    content_bank: ContentBank, database
) -> None:
    run_chat(content_bank, database, [CHECKUP, "2", "b", "b", "n", "b", "q"])
    later = run_chat(content_bank, database, [CHECKUP, "b", "b", "b", "q"])
    assert "Which device" not in later
    assert f"== Check-up · day 2 of {len(content_bank.checkup)} ==" in later
    assert "Your step (iPhone)" in later
