"""A scripted person at the terminal: typed lines from a list, quiz answers right or wrong.

Quiz questions are picked at random, so a test cannot know which option is right when it writes
the script; it says instead whether each answer should be right, and this finds the question
last shown and types the number that is (or is not) its correct option.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from bot.config import load_settings
from bot.core.content import ContentBank, Question
from bot.storage import migrate
from bot.storage.database import Database
from bot.terminal.chat import TerminalChat

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
ANSWER_PROMPT = "Your answer: "


class ScriptedPerson:
    def __init__(self, bank: ContentBank, typed: Iterable[str], right: Iterable[bool]) -> None:
        self.typed = iter(typed)
        self.right = iter(right)
        self.output: list[str] = []
        questions = [*bank.questions, *(q for day in bank.checkup for q in day.check)]
        self.questions = {q.question: q for q in questions}

    def read(self, prompt: str) -> str:
        self.output.append(prompt)
        if prompt == ANSWER_PROMPT:
            wanted = next(self.right, None)
            if wanted is not None:
                return self.answer(self.last_question(), wanted)
        try:
            return next(self.typed)
        except StopIteration:
            raise EOFError from None

    def last_question(self) -> Question:
        for line in reversed(self.output):
            text = line.strip()
            if text.startswith("("):
                text = text.split(") ", 1)[-1]
            if text in self.questions:
                return self.questions[text]
        raise AssertionError("no question was shown before the answer prompt")

    @staticmethod
    def answer(question: Question, right: bool) -> str:
        index = question.correct if right else (question.correct + 1) % len(question.options)
        return str(index + 1)

    def text(self) -> str:
        return "\n".join(self.output)


def run_chat(
    bank: ContentBank,
    database: Database,
    typed: Iterable[str],
    right: Iterable[bool] = (),
    output_dir: Path = Path("."),
) -> str:
    person = ScriptedPerson(bank, typed, right)
    chat = TerminalChat(
        bank,
        database,
        load_settings(),
        read=person.read,
        write=person.output.append,
        clock=lambda: NOW,
        rng=random.Random(7),
        output_dir=output_dir,
    )
    chat.converse()
    return person.text()


def fresh_database(tmp_path: Path) -> Database:
    """A migrated SQLite file of its own: fast, and no test sees another's terminal user."""
    url = f"sqlite:///{tmp_path / 'chat.sqlite3'}"
    migrate.upgrade(url)
    return Database(url)
