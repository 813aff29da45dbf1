"""Reading and writing at the terminal: numbered choices, and a clear word for a wrong key.

Every prompt says what it accepts, and input that fits none of it gets a sentence saying
what would, so nobody is left staring at a menu printed again without a reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.core.telegram_html import visible_text

QUIT = "q"
BACK = "b"


class EndOfInput(Exception):
    """The person closed the input (Ctrl-D) or typed "q"."""


class GoBack(Exception):
    """The person typed "b" where a choice was asked: leave this screen."""


@dataclass
class Console:
    """The two ends of the terminal, injectable so tests can script a whole conversation."""

    read: Callable[[str], str]
    write: Callable[[str], None]

    def say(self, text: str) -> None:
        self.write(text)

    def say_html(self, html: str) -> None:
        """Content is Telegram HTML; the terminal shows what a reader would see."""
        self.write(visible_text(html))

    def ask(self, prompt: str = "> ") -> str:
        """One line, trimmed and lower-cased; "q" or Ctrl-D ends the chat."""
        try:
            answer = self.read(prompt).strip()
        except EOFError:
            raise EndOfInput from None
        if answer.lower() == QUIT:
            raise EndOfInput
        return answer

    def choose(self, labels: Sequence[str], prompt: str = "> ", *, back: bool = True) -> int:
        """A numbered list; returns the index picked, asks again after anything else.

        With `back`, "b" raises GoBack so the caller's screen ends.
        """
        for number, label in enumerate(labels, start=1):
            self.write(f"{number}) {label}")
        while True:
            answer = self.ask(prompt).lower()
            if back and answer == BACK:
                raise GoBack
            if answer.isdigit() and 1 <= int(answer) <= len(labels):
                return int(answer) - 1
            self.write(number_hint(len(labels), back=back))

    def choose_key(self, options: Sequence[tuple[str, str]], prompt: str = "> ") -> str:
        """Letter keys ("n", "Next"); returns the key typed, asks again after anything else."""
        self.write("  ".join(f"{key}) {label}" for key, label in options))
        keys = [key for key, _ in options]
        while True:
            answer = self.ask(prompt).lower()
            if answer in keys:
                return answer
            self.write(key_hint(keys))

    def confirm(self, question: str) -> bool:
        """y or n; anything else is asked again."""
        while True:
            answer = self.ask(f"{question} (y/n) ").lower()
            if answer in ("y", "yes"):
                return True
            if answer in ("n", "no"):
                return False
            self.write("Please type y or n, or q to quit.")


def number_hint(count: int, *, back: bool) -> str:
    extra = ", b to go back" if back else ""
    if count == 1:
        return f"Please type 1{extra}, or q to quit."
    return f"Please type a number from 1 to {count}{extra}, or q to quit."


def key_hint(keys: Sequence[str]) -> str:
    listed = ", ".join(keys[:-1]) + f" or {keys[-1]}" if len(keys) > 1 else keys[0]
    return f"Please type {listed}, or q to quit."
