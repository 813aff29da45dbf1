"""The fake's inline mode refuses what Telegram refuses, so inline tests can fail for real."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest

from tests.fakes.bot_api import FakeBotAPI, FakeBotAPIControl

TOKEN = "123456:TEST-token"
USER = 42


@pytest.fixture
def api() -> Iterator[FakeBotAPI]:
    with FakeBotAPI(inline_mode=True) as fake:
        yield fake


@pytest.fixture
async def bot(api: FakeBotAPI) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=api.base_url) as client:
        yield client


def article(
    result_id: str = "a", text: str = "<b>Hi</b>", **extra: Any
) -> InlineQueryResultArticle:
    content = InputTextMessageContent(text, parse_mode=ParseMode.HTML)
    return InlineQueryResultArticle(result_id, "Title", content, **extra)


async def refused(bot: Bot, api: FakeBotAPI, expected: str, results: list[Any], **kw: Any) -> None:
    query_id = api.send_inline_query(USER, "q")
    with pytest.raises(BadRequest) as caught:
        await bot.answer_inline_query(query_id, results, **kw)
    assert expected.lower() in caught.value.message.lower(), caught.value.message
    assert api.inline_answer(query_id) is None


async def test_an_inline_query_arrives_as_an_update_and_takes_one_answer(
    bot: Bot, api: FakeBotAPI
) -> None:
    assert bot.bot.supports_inline_queries is True
    query_id = api.send_inline_query(USER, "face", offset="50", chat_type="group")
    [update] = await bot.get_updates()
    assert update.inline_query is not None
    assert (update.inline_query.query, update.inline_query.offset) == ("face", "50")
    assert update.inline_query.chat_type == "group"
    assert api.unanswered_inline_queries() == [query_id]
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Open", url="https://t.me/x")]])
    results = [article("a", reply_markup=keyboard), article("b")]
    button = InlineQueryResultsButton("Open the bot", start_parameter="from_inline")
    assert await bot.answer_inline_query(
        query_id, results, cache_time=0, is_personal=False, next_offset="2", button=button
    )
    answer = api.inline_answer(query_id)
    assert answer is not None
    assert [m.text for m in answer.messages] == ["Hi", "Hi"]
    assert answer.messages[0].entities == [{"type": "bold", "offset": 0, "length": 2}]
    assert (answer.cache_time, answer.next_offset) == (0, "2")
    assert api.unanswered_inline_queries() == []
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_inline_query(query_id, [])  # a second answer


async def test_results_must_be_few_unique_and_well_formed(bot: Bot, api: FakeBotAPI) -> None:
    await refused(bot, api, "RESULTS_TOO_MUCH", [article(str(i)) for i in range(51)])
    await refused(bot, api, "RESULT_ID_DUPLICATE", [article("a"), article("a")])
    await refused(bot, api, "RESULT_ID_INVALID", [article("x" * 65)])
    await refused(bot, api, "NEXT_OFFSET_INVALID", [], next_offset="9" * 65)
    await refused(bot, api, "non-negative", [], cache_time=-1)
    bad_start = InlineQueryResultsButton("Open", start_parameter="no spaces")
    await refused(bot, api, "START_PARAM_INVALID", [], button=bad_start)


async def test_each_message_must_be_valid_html_within_4096_characters(
    bot: Bot, api: FakeBotAPI
) -> None:
    await refused(bot, api, "can't parse entities", [article(text="<b>open")])
    await refused(bot, api, "MESSAGE_EMPTY", [article(text="<b> </b>")])
    await refused(bot, api, "MESSAGE_TOO_LONG", [article(text="x" * 4097)])
    long_markup = "<b>" + "x" * 4096 + "</b>"  # the limit counts the text, not the markup
    query_id = api.send_inline_query(USER, "q")
    assert await bot.answer_inline_query(query_id, [article(text=long_markup)])
    bad_button = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    await refused(bot, api, "BUTTON_DATA_INVALID", [article(reply_markup=bad_button)])


async def test_an_answer_after_the_query_lifetime_is_refused(bot: Bot, api: FakeBotAPI) -> None:
    api.state.inline_query_lifetime = 0.05
    query_id = api.send_inline_query(USER, "q")
    await asyncio.sleep(0.1)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_inline_query(query_id, [article()])


def test_inline_queries_need_inline_mode_and_fit_telegrams_limit() -> None:
    with FakeBotAPI() as off, pytest.raises(ValueError, match="setinline"):
        off.send_inline_query(USER, "q")
    with FakeBotAPI(inline_mode=True) as on:
        with pytest.raises(ValueError, match="256"):
            on.send_inline_query(USER, "x" * 257)
        control = FakeBotAPIControl(on.url)
        query_id = control.send_inline_query(USER, "face")
        assert on.unanswered_inline_queries() == [query_id]
        assert control.inline_answer(query_id) is None
