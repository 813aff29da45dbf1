"""The terminal chat walks the same core: explainers, a quiz, a tip and progress."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.storage import migrate
from bot.storage.database import Database
from bot.terminal.chat import TerminalChat

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'chat.sqlite3'}"
    migrate.upgrade(url)
    db = Database(url)
    yield db
    db.close()


def run_chat(content_bank, database: Database, typed: list[str]) -> str:
    answers = iter(typed)
    output: list[str] = []

    def read(prompt: str) -> str:
        output.append(prompt)
        try:
            return next(answers)
        except StopIteration:
            raise EOFError from None

    chat = TerminalChat(
        content_bank, database, load_settings(), read=read, write=output.append, clock=lambda: NOW
    )
    chat.converse()
    return "\n".join(output)


def test_read_an_explainer_to_the_end_then_take_its_quiz(content_bank, database) -> None:
    topic = content_bank.topics[0]
    pages = len(content_bank.explainer_for(topic.id).pages) + 1
    typed = ["1", "1"] + ["n"] * (pages - 1) + ["s", "z"] + ["1"] * 5 + ["5", "q"]
    output = run_chat(content_bank, database, typed)
    assert f"({pages}/{pages})" in output
    assert "What you can do" in output
    assert content_bank.explainer_for(topic.id).sources[0].url in output
    assert "Finished: " in output
    assert "Answered: 5" in output
    assert "Explainers read: 1/" in output


def test_tips_do_not_repeat_until_all_are_seen(content_bank, database) -> None:
    output = run_chat(content_bank, database, ["4", "4", "4", "q"])
    shown = [line for line in output.splitlines() if line.startswith("💡")]
    assert len(shown) == 3
    assert len(set(shown)) == 3


def test_nonsense_input_is_answered_and_progress_is_kept(content_bank, database) -> None:
    output = run_chat(content_bank, database, ["banana", "2", "7", "1", "q"])
    assert "Please type 1-5, or q." in output
    assert "Your answer: " in output
    # The quiz was left half-way; the next session still knows the one answer given.
    later = run_chat(content_bank, database, ["5", "q"])
    assert "Answered: 1" in later
