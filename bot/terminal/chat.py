"""`python -m bot chat`: the /start menu as numbered choices, quizzes as numbered options.

It drives the same flows as the Telegram handlers and stores progress in the same database, so
a content author can walk through every explainer and quiz before publishing, and anyone can
try the bot without a token. Input and output are injectable for tests.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.config import Settings
from bot.core import wording
from bot.core.content import ContentBank
from bot.flows.learning import welcome_back
from bot.storage.database import Database
from bot.terminal.console import Console, EndOfInput, GoBack
from bot.terminal.menus import MORE, MORE_MENU, START_MENU, Item
from bot.terminal.session import TERMINAL_USER_ID, Session

__all__ = ["TERMINAL_USER_ID", "EndOfInput", "TerminalChat"]

WELCOME = (
    "Privacy-awareness bot — terminal mode.\n"
    "I explain how mass surveillance works and what you can do about it.\n"
    "What I store: your learning progress, under user id {user_id}, in this bot's database. "
    "More → Privacy says what and for how long.\n"
    "Type a number, or q to quit."
)


@dataclass
class TerminalChat:
    content: ContentBank
    database: Database
    settings: Settings
    read: Callable[[str], str] = input
    write: Callable[[str], None] = print
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    rng: random.Random = field(default_factory=random.Random)
    user_id: int = TERMINAL_USER_ID
    output_dir: Path = Path(".")

    def session(self) -> Session:
        console = Console(self.read, self.write)
        return Session(
            self.content,
            self.database,
            self.settings,
            console,
            self.clock,
            self.rng,
            self.user_id,
            self.output_dir,
        )

    def converse(self) -> None:
        """The main menu loop; returns when the person quits."""
        session = self.session()
        session.console.say(WELCOME.format(user_id=self.user_id))
        now = self.clock()
        due = session.run(lambda c: welcome_back(c, self.user_id, now))
        if due:
            session.console.say(
                f"You have {wording.questions_due(due)} for review: More → Review."
            )
        try:
            while True:
                session.console.say("")
                index = session.console.choose(main_labels(), back=False)
                if index < len(START_MENU):
                    START_MENU[index].screen(session)
                else:
                    more(session)
        except EndOfInput:
            return


def main_labels() -> list[str]:
    """The /start menu's items in its order, then "More"."""
    return [item.label for item in START_MENU] + [MORE]


def more(session: Session) -> None:
    session.console.say("\nMore (b = back):")
    try:
        pick(session, MORE_MENU)
    except GoBack:
        return


def pick(session: Session, items: Sequence[Item]) -> None:
    index = session.console.choose([item.label for item in items])
    items[index].screen(session)
