"""The terminal chat's progress card, privacy notice, data copy, forget and reset."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from bot.core.content import ContentBank
from bot.storage.database import Database
from bot.terminal.privacy import EXPORT_FILENAME
from bot.terminal.progress import CARD_FILENAME
from tests.unit.terminal_script import fresh_database, run_chat

QUIZ, TIP, PROGRESS, MORE = "2", "3", "6", "7"
PRIVACY, MY_DATA, FORGET, RESET = "3", "4", "5", "6"  # in More
NEW_USER = "Nothing here yet — you’re just getting started."


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = fresh_database(tmp_path)
    yield db
    db.close()


def test_the_progress_card_is_saved_as_a_png(
    content_bank: ContentBank, database, tmp_path: Path
) -> None:
    typed = [QUIZ, PROGRESS, "c", "b", "q"]
    output = run_chat(content_bank, database, typed, right=[True] * 5, output_dir=tmp_path)
    card = tmp_path / CARD_FILENAME
    assert f"Saved your progress card to {card}" in output
    with Image.open(card) as image:
        assert image.format == "PNG"
        assert image.size == (1080, 1350)
        image.load()  # decodes every pixel: a truncated file fails here


def test_privacy_says_what_is_stored(content_bank: ContentBank, database) -> None:
    output = run_chat(content_bank, database, [MORE, PRIVACY, "q"])
    assert "What I store about you, and why" in output
    assert "<b>" not in output  # shown as text, not as Telegram HTML


def test_my_data_is_written_as_json(content_bank: ContentBank, database, tmp_path: Path) -> None:
    output = run_chat(content_bank, database, [TIP, "b", MORE, MY_DATA, "q"], output_dir=tmp_path)
    document = json.loads((tmp_path / EXPORT_FILENAME).read_text())
    assert document["user_id"] == 0
    assert len(document["tables"]["tips_seen"]) == 1
    assert "• tips_seen: 1 row" in output


def test_forget_asks_first_and_then_leaves_a_fresh_user(
    content_bank: ContentBank, database
) -> None:
    typed = [TIP, "b", MORE, FORGET, "maybe", "n", MORE, FORGET, "y", PROGRESS, "b", "q"]
    output = run_chat(content_bank, database, typed)
    assert "Please type y or n, or q to quit." in output
    _, forgotten = output.split("OK, nothing was deleted.", 1)
    assert "I hold nothing about you any more" in forgotten
    assert NEW_USER in forgotten
    later = run_chat(content_bank, database, [PROGRESS, "b", "q"])
    assert NEW_USER in later


def test_reset_forgets_and_starts_again(content_bank: ContentBank, database) -> None:
    typed = [QUIZ, PROGRESS, "b", MORE, RESET, "y", PROGRESS, "b", MORE, "1", "q"]
    output = run_chat(content_bank, database, typed, right=[True] * 5)
    before, after = output.split("Starting again from scratch.", 1)
    assert "5 answers · 100% right" in before
    assert NEW_USER in after
    assert "Nothing is scheduled for review yet." in after
