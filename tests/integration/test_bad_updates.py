"""Updates the bot cannot act on: forged buttons on the wrong message, failures after an answer,
and updates python-telegram-bot cannot read. Each is answered calmly, once, and logged privately.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.logging_setup import log_handler
from bot.telegram.context import STALE_BUTTON
from tests.integration.button_answers import answers_to, bot_requests_besides_answers
from tests.integration.conftest import USER, BotHarness, running_bot

SECRET_NAME = "Zelda-Secretname"
SECRET_TEXT = "my private diary entry"


@pytest.fixture
def bot_log() -> Iterator[io.StringIO]:
    """Everything logged while the bot runs, through the bot's own handler and filters."""
    stream = io.StringIO()
    handler = log_handler("INFO", stream=stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


async def a_poll_message(bot: BotHarness) -> int:
    await bot.say("/learn")
    await bot.press(
        bot.last_message()["message_id"], "quiz:start:cctv", strict=False, expect="sendPoll"
    )
    poll = bot.api.last_poll(USER)
    assert poll is not None
    return poll.message_id


async def test_forged_page_turn_on_a_poll_gets_the_stale_answer(
    fake_api, database_url, content_bank, clock
) -> None:
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        poll_message = await a_poll_message(bot)
        before = bot_requests_besides_answers(fake_api)
        query = await bot.press(poll_message, "learn:cctv:1", expect=None, strict=False)
        assert answers_to(fake_api, query) == [STALE_BUTTON]
        assert bot_requests_besides_answers(fake_api) == before  # nothing edited or sent
        assert all(r.ok for r in fake_api.calls("answerCallbackQuery"))


async def test_error_after_the_answer_is_not_answered_again(
    fake_api, database_url, content_bank, clock, bot_log
) -> None:
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await bot.say("/learn")
        await bot.press(bot.last_message()["message_id"], "learn:cctv")
        explainer = bot.last_message()
        fake_api.fail_next(
            "editMessageText", 400, description="Bad Request: message can't be edited"
        )
        query = await bot.press(explainer["message_id"], "learn:cctv:1", expect="editMessageText")
        assert len(answers_to(fake_api, query)) == 1
        assert all(r.ok for r in fake_api.calls("answerCallbackQuery"))  # no refused second try
    assert "error while handling update" in bot_log.getvalue()  # it did reach the error handler


async def test_unreadable_update_is_skipped_and_logged_once_without_contents(
    fake_api, database_url, content_bank, clock, bot_log
) -> None:
    unreadable = {  # no chat and no date: PTB's Message cannot be built
        "message": {
            "message_id": 1,
            "from": {"id": USER, "is_bot": False, "first_name": SECRET_NAME, "username": "zsn"},
            "text": SECRET_TEXT,
        }
    }
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        bad_id = fake_api.push_update(unreadable)
        reply = await bot.say("/help")
        assert "/learn" in str(reply.params["text"])
        polls = len(fake_api.calls("getUpdates"))
    log = bot_log.getvalue()
    about_it = [line for line in log.splitlines() if f"update {bad_id}" in line]
    assert len(about_it) == 1, log
    assert "skipped" in about_it[0]
    for private in (SECRET_NAME, SECRET_TEXT, "zsn"):
        assert private not in log
    assert polls < 20, "the unreadable update was fetched again and again"
