"""python-telegram-bot's own error lines carry whole updates; the bot's handler withholds them."""

from __future__ import annotations

import io
import logging

import pytest
from telegram import Update

from bot.logging_setup import WITHHELD, log_handler

NAME, TEXT = "Zelda-Secretname", "my private diary entry"
POLL_ANSWER = {
    "update_id": 9,
    "poll_answer": {
        "poll_id": "1",
        "option_ids": [0],
        "option_persistent_ids": ["0"],
        "user": {"id": 1, "is_bot": False, "first_name": NAME},
    },
}
RAW = [{"update_id": 9, "message": {"from": {"first_name": NAME}, "text": TEXT}}]


def logged(name: str, message: str, *args: object, error: Exception | None = None) -> str:
    stream = io.StringIO()
    logger = logging.getLogger(name)
    handler = log_handler("INFO", stream=stream)
    logger.addHandler(handler)
    try:
        logger.critical(message, *args, exc_info=error)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


@pytest.mark.parametrize(
    ("name", "template", "arg"),
    [
        ("telegram.ext.ExtBot", "Error while parsing updates! Received data was %r", RAW),
        ("telegram.request.BaseRequest", 'Can not load invalid JSON data: "%s"', str(RAW)),
        (
            "telegram.ext.Application",
            "Error while building CallbackContext for update %s. Update will not be processed.",
            Update.de_json(POLL_ANSWER, None),
        ),
    ],
)  # fmt: skip
def test_ptb_lines_with_update_contents_are_withheld(
    name: str, template: str, arg: object
) -> None:
    line = logged(name, template, arg, error=ValueError(f"bad value {NAME!r}"))
    assert WITHHELD in line
    assert NAME not in line
    assert TEXT not in line
    assert "Traceback" not in line
    assert "ValueError" in line


def test_reading_failure_keeps_its_line_but_not_its_traceback() -> None:
    line = logged(
        "telegram.ext.Updater",
        "Something went wrong processing the data received from Telegram.",
        error=TypeError(f"int() got {NAME!r}"),
    )
    assert line.count("\n") == 1
    assert "TypeError" in line
    assert NAME not in line


def test_other_lines_pass_unchanged() -> None:
    assert "user 42 subscribed" in logged("bot.flows", "user %s subscribed", 42)
    assert "Application started" in logged("telegram.ext.Application", "Application started")
