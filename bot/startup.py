"""What every long-running command does first: validate the content bank, migrate, open storage.

Shared by `run`, `chat` and `tips send-due`, so all three refuse a broken bank the same way: the
whole error list on stderr, exit code 1, no traceback. A database that cannot be reached, created
or written raises OperatorError with one line naming DATABASE_URL, which `main` prints.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.config import Settings
from bot.contentbank.loader import ContentErrors, load_content
from bot.core import wording
from bot.core.content import ContentBank
from bot.operator_errors import database_errors
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
    print(
        f"The content bank in {directory} has {wording.problems(len(exc.errors))}:",
        file=sys.stderr,
    )
    print(exc.report(), file=sys.stderr)


def prepare(settings: Settings) -> tuple[ContentBank, Database] | None:
    """The validated bank and an upgraded, open database; None (already reported) on bad content.

    The caller closes the database. Raises OperatorError when the database is unusable.
    """
    bank = load_content_or_report(settings.content_dir)
    if bank is None:
        return None
    return bank, open_database(settings.database_url)


def upgrade_database(url: str) -> str | None:
    """Apply every migration; the revision the database is at afterwards."""
    with database_errors(url):
        migrate.upgrade(url)
        return migrate.current_revision(url)


def open_database(url: str) -> Database:
    """An upgraded database that accepts writes, checked now rather than at a user's first tap."""
    with database_errors(url):
        migrate.upgrade(url)
        database = Database(url)
        try:
            check_writable(database)
        except BaseException:
            database.close()
            raise
    return database


def check_writable(database: Database) -> None:
    """Write one row back unchanged and roll back: a read-only file or replica fails here."""
    with database.engine.connect() as connection, connection.begin() as transaction:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = version_num")
        transaction.rollback()
