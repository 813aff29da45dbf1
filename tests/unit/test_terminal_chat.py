"""The terminal chat: the /start menu, clear words for wrong input, explainers, quizzes, retry,
review."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.content import ContentBank
from bot.storage.database import Database
from bot.telegram.render import MAIN_MENU
from bot.terminal.chat import main_labels
from tests.unit.terminal_script import fresh_database, run_chat

LEARN, QUIZ, TIP, DAILY, CHECKUP, PROGRESS, MORE = (str(n) for n in range(1, 8))
REVIEW = "1"  # in More


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = fresh_database(tmp_path)
    yield db
    db.close()


def without_emoji(label: str) -> str:
    first, _, rest = label.partition(" ")
    return rest if rest and not first.isalnum() else label


def test_the_menu_is_the_start_menu_then_more(content_bank: ContentBank, database) -> None:
    telegram = [without_emoji(b.text) for row in MAIN_MENU.inline_keyboard for b in row]
    assert main_labels() == [*telegram, "More"]
    output = run_chat(content_bank, database, ["q"])
    shown = [line for line in output.splitlines() if line[:1].isdigit()]
    assert shown == [f"{n}) {label}" for n, label in enumerate(main_labels(), start=1)]


def test_wrong_input_is_answered_with_what_would_do(content_bank: ContentBank, database) -> None:
    topic = content_bank.topics[0]
    typed = ["banana", "0", "8", LEARN, "99", "1", "w", "b", QUIZ, "9"]
    output = run_chat(content_bank, database, typed)
    assert output.count("Please type a number from 1 to 7, or q to quit.") == 3
    topics = len(content_bank.topics)
    assert f"Please type a number from 1 to {topics}, b to go back, or q to quit." in output
    explainer = content_bank.explainer_for(topic.id)
    assert explainer is not None
    assert f"== {explainer.title} (1/" in output
    assert "Please type n, s, z or b, or q to quit." in output
    assert "Your answer: " in output
    assert "Please type a number from 1 to 4, or q to quit." in output


def test_read_an_explainer_to_the_end_then_take_its_quiz(
    content_bank: ContentBank, database
) -> None:
    topic = content_bank.topics[0]
    explainer = content_bank.explainer_for(topic.id)
    assert explainer is not None
    pages = len(explainer.pages) + 1
    typed = [LEARN, "1"] + ["n"] * (pages - 1) + ["s", "z", PROGRESS, "b", "q"]
    output = run_chat(content_bank, database, typed, right=[True] * 5)
    assert f"({pages}/{pages})" in output
    assert "What you can do" in output
    assert explainer.sources[0].url in output
    assert "Quiz finished: 5/5" in output
    assert "Retry my mistakes" not in output
    assert "5 answers · 100% right" in output
    assert f"1/{len(content_bank.explainers)} explainers read" in output


def test_a_quiz_with_misses_offers_a_retry_of_exactly_those(
    content_bank: ContentBank, database
) -> None:
    typed = [QUIZ, "y", MORE, REVIEW, "q"]
    quiz_answers, retry_answers = [False, False, True, True, True], [True, True]
    right = [*quiz_answers, *retry_answers]
    output = run_chat(content_bank, database, typed, right=right)
    assert "Quiz finished: 3/5" in output
    assert "Retry my mistakes (2 questions)? (y/n) " in output
    assert "(2/2)" in output
    assert "Retry finished: 2/2" in output
    # The retry is practice: the misses still come back for review tomorrow.
    assert "Nothing to review right now. Your next review is tomorrow at 09:00." in output


def test_one_miss_is_said_in_the_singular(content_bank: ContentBank, database) -> None:
    output = run_chat(content_bank, database, [QUIZ, "n", "q"], right=[False] + [True] * 4)
    assert "Retry my mistakes (1 question)? (y/n) " in output
    assert "Retry finished" not in output


def test_review_with_nothing_ever_missed_says_how_reviews_work(
    content_bank: ContentBank, database
) -> None:
    output = run_chat(content_bank, database, [MORE, REVIEW, "q"])
    assert "Nothing is scheduled for review yet." in output


def test_a_quiz_left_half_way_keeps_its_answers(content_bank: ContentBank, database) -> None:
    run_chat(content_bank, database, [QUIZ, "q"], right=[True])
    later = run_chat(content_bank, database, [PROGRESS, "q"])
    assert "1 answer · 100% right" in later


def test_the_terminal_never_loads_python_telegram_bot() -> None:
    """The card renderer and the privacy notice sit under bot/telegram but need only the core."""
    import subprocess
    import sys

    probe = (
        "import sys, bot.terminal.chat; "
        "sys.exit(any(m == 'telegram' or m.startswith('telegram.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", probe], check=False).returncode == 0
