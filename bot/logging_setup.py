"""Logging that never reveals the bot token, nor what users wrote or who they are.

The token is part of every Bot API URL, and httpx logs each request URL at INFO (and more at
DEBUG). A formatter that redacts the finished line catches every path a token can take into a
log: messages, arguments, exception text and tracebacks.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import TextIO

TOKEN_PATTERN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")
REDACTED = "<redacted-token>"


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Remove anything shaped like a bot token, plus the given literal secrets."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return TOKEN_PATTERN.sub(REDACTED, text)


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then redacts the whole line, traceback included."""

    def __init__(self, fmt: str, secrets: tuple[str, ...] = ()) -> None:
        super().__init__(fmt)
        self._secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self._secrets)


class ShortNetworkErrors(logging.Filter):
    """PTB logs every failed connection attempt with a full traceback; one line says enough.

    A lost connection is an operating condition, not a bug: show its cause in one line unless
    the operator asked for DEBUG.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("telegram") and record.exc_info and record.exc_info[1]:
            error = record.exc_info[1]
            if type(error).__name__ in ("NetworkError", "TimedOut"):
                record.msg = f"{record.getMessage()} ({type(error).__name__}: {error})"
                record.args = None
                record.exc_info = None
        return True


WITHHELD = "<withheld: update contents>"
# PTB lines whose arguments are raw Bot API data (users' names and messages).
RAW_DATA_TEMPLATES = (
    "Error while parsing updates",
    "Can not load invalid JSON data",
    "Error while building CallbackContext",
)
# PTB lines whose traceback comes from reading raw data: its text can quote a field's value.
RAW_DATA_FAILURES = (*RAW_DATA_TEMPLATES, "Something went wrong processing the data")


class WithholdUpdateContents(logging.Filter):
    """python-telegram-bot logs whole updates in a few error lines; keep their shape, not content.

    Any argument that is a Telegram object or raw JSON (dict, list) is replaced, and so are all
    arguments of the known raw-data lines; their tracebacks shrink to the exception's type.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("telegram"):
            return True
        template = str(record.msg)
        raw = template.startswith(RAW_DATA_TEMPLATES)
        if isinstance(record.args, tuple):
            record.args = tuple(WITHHELD if raw or _is_raw(arg) else arg for arg in record.args)
        if template.startswith(RAW_DATA_FAILURES) and record.exc_info and record.exc_info[1]:
            record.msg = f"{record.getMessage()} ({type(record.exc_info[1]).__name__})"
            record.args = None
            record.exc_info = None
        return True


def _is_raw(value: object) -> bool:
    from telegram import TelegramObject

    return isinstance(value, TelegramObject | dict | list | tuple | bytes)


class QuietMigrations(logging.Filter):
    """Alembic announces its dialect twice per run; only "Running upgrade ..." is news."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.name == "alembic.runtime.migration"
            and str(record.msg).startswith(("Context impl", "Will assume"))
        )


def log_handler(
    level: str, secrets: tuple[str, ...] = (), stream: TextIO | None = None
) -> logging.Handler:
    """The bot's handler: redacted lines, no update contents, short network errors unless DEBUG."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    handler.addFilter(WithholdUpdateContents())
    handler.addFilter(QuietMigrations())
    if level != "DEBUG":
        handler.addFilter(ShortNetworkErrors())
    return handler


def configure_logging(level: str, secrets: tuple[str, ...] = ()) -> None:
    """Log to stderr at `level`; httpx's per-request lines only from DEBUG on (and redacted)."""
    handler = log_handler(level, secrets)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # One line per long-poll request is noise at INFO; keep it for DEBUG.
    quiet = logging.DEBUG if level == "DEBUG" else logging.WARNING
    for name in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(name).setLevel(max(quiet, root.level))
    # PTB logs whole request and response bodies at DEBUG: users' messages and names. Never.
    logging.getLogger("telegram").setLevel(max(logging.INFO, root.level))
