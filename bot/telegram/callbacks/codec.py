"""What every callback codec shares: full patterns, the 64-byte check, the match PTB found.

Patterns end in `\\Z`, not `$`: `$` also matches before a trailing newline, and forged data
such as "tip:next\\n" must not pass for a real button.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.contentbank.limits import CALLBACK_DATA_MAX
from bot.telegram.context import Context

# A content-bank id (topics, explainers): the same shape `bot.contentbank.limits` enforces.
ID = r"[a-z0-9][a-z0-9-]{1,31}"


def full(pattern: str) -> re.Pattern[str]:
    """Compile `pattern` so that it must match the whole callback data."""
    return re.compile(rf"^(?:{pattern})\Z")


def exact(data: str) -> re.Pattern[str]:
    """The full pattern of a button whose data never varies."""
    return full(re.escape(data))


def checked(data: str, pattern: re.Pattern[str]) -> str:
    """Refuse data Telegram would reject (1-64 bytes) or that our own handler would not accept.

    Raising here, when the keyboard is built, turns a bad button into a failing test instead
    of a button that answers "out of date" for every user.
    """
    if not 1 <= len(data.encode()) <= CALLBACK_DATA_MAX:
        raise ValueError(f"callback data must be 1-{CALLBACK_DATA_MAX} bytes: {data!r}")
    if pattern.match(data) is None:
        raise ValueError(f"callback data {data!r} does not match {pattern.pattern!r}")
    return data


def constant(data: str) -> tuple[str, re.Pattern[str]]:
    """A fixed button: its checked data and its pattern, made together so they cannot differ."""
    pattern = exact(data)
    return checked(data, pattern), pattern


def match_of(context: Context) -> re.Match[str]:
    """The match of the pattern this handler was registered with (PTB stores it there)."""
    matches = context.matches
    if not matches:
        raise LookupError("handler was not registered with a callback data pattern")
    return matches[0]


def one_of(choices: type[StrEnum]) -> str:
    """A regex alternative of a closed set's values."""
    return "|".join(re.escape(choice.value) for choice in choices)
