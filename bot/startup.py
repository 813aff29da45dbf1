"""What every long-running command does first: validate the content bank, migrate, open storage.

Shared by `run`, `chat` and `tips send-due`, so all three refuse a broken bank the same way: the
whole error list on stderr, exit code 1, no traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.config import Settings
from bot.contentbank.loader import ContentErrors, load_content
from bot.core.content import ContentBank
from bot.storage import migrate
from bot.storage.database import Database


def load_content_or_report(directory: Path) -> ContentBank | None:
    """Load the bank, or print every problem and return None."""
    try:
        return load_content(directory)
    except ContentErrors as exc:
        report_content_errors(directory, exc)
        return None


def report_content_errors(directory: Path, exc: ContentErrors) -> None:
    """Every problem of a bank the bot cannot send, on stderr, under one heading."""
    print(f"The content bank in {directory} has {len(exc.errors)} problem(s):", file=sys.stderr)
    print(exc.report(), file=sys.stderr)


def prepare(settings: Settings) -> tuple[ContentBank, Database] | None:
    """The validated bank and an upgraded, open database; None (already reported) on bad content.

    The caller closes the database.
    """
    bank = load_content_or_report(settings.content_dir)
    if bank is None:
        return None
    migrate.upgrade(settings.database_url)
    return bank, Database(settings.database_url)
