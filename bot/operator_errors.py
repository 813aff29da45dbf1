"""Failures an operator causes, turned into one line that names the setting to fix.

A wrong DATABASE_URL, a stopped PostgreSQL server or a read-only data folder is a setup mistake,
not a bug: the operator needs the variable and the reason, not 40 lines of SQLAlchemy frames.
Only exception types that setup mistakes raise are translated; anything else stays a traceback,
because then it is a bug worth reading.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from bot.logging_setup import redact
from bot.storage.database import DatabaseSetupError

DATABASE_SETUP_ERRORS = (
    ArgumentError,
    NoSuchModuleError,
    DBAPIError,
    DatabaseSetupError,
    ImportError,
    OSError,
)


class OperatorError(RuntimeError):
    """A setup problem, already described in one line for stderr."""


@contextmanager
def database_errors(url: str) -> Iterator[None]:
    """Turn the database's setup failures inside the block into an OperatorError."""
    try:
        yield
    except DATABASE_SETUP_ERRORS as error:
        raise OperatorError(describe_database_error(url, error)) from None


def describe_database_error(url: str, error: BaseException) -> str:
    """One line: the variable, where it points (password hidden) and why it failed."""
    where = shown_url(url)
    if isinstance(error, NoSuchModuleError):
        return (
            f"DATABASE_URL: unknown database driver in {where} "
            "(use sqlite:///path/to/file or postgresql+psycopg://user@host/database)"
        )
    if isinstance(error, ArgumentError):
        return (
            "DATABASE_URL: not a database URL "
            "(use sqlite:///path/to/file or postgresql+psycopg://user@host/database)"
        )
    if isinstance(error, ImportError):
        return f"DATABASE_URL: the driver for {where} is not installed ({first_line(error)})"
    if isinstance(error, DBAPIError):
        reason = first_line(error.orig if error.orig is not None else error)
        return f"DATABASE_URL: cannot use the database {where}: {reason}"
    if isinstance(error, OSError):
        folder = f" {error.filename}" if error.filename else ""
        reason = error.strerror or first_line(error)
        return f"DATABASE_URL: cannot create the folder{folder} for {where}: {reason}"
    return f"DATABASE_URL: cannot use the database {where}: {first_line(error)}"


def shown_url(url: str) -> str:
    """The URL as the operator wrote it, minus any password; a placeholder if it cannot parse."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparseable URL)"


def first_line(error: BaseException) -> str:
    """The first non-empty line of an error's text (drivers add hints and links below it)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return redact(lines[0]) if lines else type(error).__name__
