"""Inline mode through the real Application and the fake Bot API: `@bot words` in any chat.

The fake checks every answer as Telegram would (at most 50 results, unique ids, each message
valid HTML within 4096 characters, answered once within the query's lifetime), so a test that
gets an answer back already knows it is one Telegram would accept.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.core.content import ContentBank
from bot.core.inline_search import search
from bot.logging_setup import configure_logging
from bot.storage.tables import METADATA
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.state import BOT_USERNAME
from tests.fakes.validation import InlineAnswer
from tests.integration.conftest import BotHarness, running_bot

STRANGER = 2002  # types @bot in a group; never opened the bot
LINK = f"https://t.me/{BOT_USERNAME}?start="


@pytest.fixture
def inline_api() -> Iterator[FakeBotAPI]:
    with FakeBotAPI(inline_mode=True) as api:
        yield api


async def ask(bot: BotHarness, query: str, offset: str = "") -> InlineAnswer:
    """Type `@bot query` in a group; return the answer after the bot has gone quiet."""
    query_id = bot.api.send_inline_query(STRANGER, query, offset=offset, chat_type="group")
    await bot.api.await_for("answerInlineQuery", lambda r: r.params["inline_query_id"] == query_id)
    await bot.wait_until_quiet()
    calls = [
        r for r in bot.api.calls("answerInlineQuery") if r.params["inline_query_id"] == query_id
    ]
    assert [r.ok for r in calls] == [True], calls  # answered once, and Telegram accepted it
    answer = bot.api.inline_answer(query_id)
    assert answer is not None
    return answer


def ids(answer: InlineAnswer) -> list[str]:
    return [result["id"] for result in answer.results]


def button(result: dict[str, Any]) -> tuple[str, str]:
    """(text, url) of a result's one button."""
    [[only]] = result["reply_markup"]["inline_keyboard"]
    return only["text"], only["url"]


def by_id(answer: InlineAnswer) -> dict[str, tuple[dict[str, Any], str]]:
    """Result id -> (result, the text its message shows after parsing)."""
    return {
        result["id"]: (result, message.text)
        for result, message in zip(answer.results, answer.messages, strict=True)
    }


async def test_empty_query_offers_each_topic_and_a_tip_per_topic(
    inline_api, database_url, content_bank: ContentBank, clock
):
    async with running_bot(inline_api, database_url, content_bank, clock) as bot:
        answer = await ask(bot, "")
    topics = [topic.id for topic in content_bank.topics]
    explainers = [f"explainer:{content_bank.explainer_for(t).id}" for t in topics]  # type: ignore[union-attr]
    first_tips = [f"tip:{next(x for x in content_bank.tips if x.topic == t).id}" for t in topics]
    assert ids(answer) == explainers + first_tips
    assert len(answer.results) <= 50
    assert answer.is_personal is False
    assert answer.cache_time > 0
    assert answer.next_offset == ""
    for result in answer.results:
        assert result["type"] == "article"
        assert result["title"]
        kind, item_id = result["id"].split(":")
        topic = item_id.rsplit("-", 1)[0] if kind == "tip" else item_id.removesuffix("-explainer")
        assert button(result) == ("📚 Learn more in the bot", f"{LINK}topic_{topic}")


async def test_search_offers_tip_explainer_and_question_with_deep_links(
    inline_api, database_url, content_bank: ContentBank, clock
):
    async with running_bot(inline_api, database_url, content_bank, clock) as bot:
        answer = await ask(bot, "Clearview")
        folded = await ask(bot, "CLÉARVÏEW")
    assert ids(folded) == ids(answer)
    results = by_id(answer)
    assert ids(answer)[0] == "explainer:clearview-explainer"  # the title match comes first

    explainer = content_bank.explainer_for("clearview")
    assert explainer is not None
    result, shown = results["explainer:clearview-explainer"]
    assert explainer.summary in shown
    assert shown.endswith("Learn more in the bot")
    assert button(result) == ("📚 Learn more in the bot", f"{LINK}topic_clearview")

    tip = content_bank.tip("clearview-tip01")
    assert tip is not None
    result, shown = results["tip:clearview-tip01"]
    assert tip.title in shown
    assert f"Source: {tip.sources[0].title}" in shown
    html = result["input_message_content"]["message_text"]
    assert f'<a href="{tip.sources[0].url}">' in html
    assert button(result) == ("📚 Learn more in the bot", f"{LINK}topic_clearview")

    question = next(
        q for q in content_bank.questions_in("clearview") if f"question:{q.id}" in results
    )
    result, shown = results[f"question:{question.id}"]
    assert question.question in shown
    assert all(f". {option}" in shown for option in question.options)
    assert question.explanation not in shown  # the answer stays in the bot
    assert button(result) == ("❓ Answer in the bot", f"{LINK}quiz_clearview")


async def test_query_without_matches_gets_an_empty_answer(
    inline_api, database_url, content_bank, clock
):
    async with running_bot(inline_api, database_url, content_bank, clock) as bot:
        answer = await ask(bot, "zebrafinch quokka")
    assert answer.results == []
    assert answer.next_offset == ""


async def test_many_matches_come_in_pages_of_at_most_fifty(
    inline_api, database_url, content_bank, clock
):
    async with running_bot(inline_api, database_url, content_bank, clock) as bot:
        pages = [await ask(bot, "camera")]
        while pages[-1].next_offset:
            pages.append(await ask(bot, "camera", pages[-1].next_offset))
        beyond = await ask(bot, "camera", "99999")
    assert len(pages) >= 3  # the bank has well over 100 items about cameras
    assert all(1 <= len(page.results) <= 50 for page in pages)
    everything = [result_id for page in pages for result_id in ids(page)]
    expected = [item.key for item in search(content_bank, "camera", clock.now.date())]
    assert everything == expected  # every match once, in order, none left out
    assert beyond.results == []


async def test_items_past_review_are_not_offered(inline_api, database_url, content_bank, clock):
    stale = {"explainer:clearview-explainer", "tip:clearview-tip03", "question:clearview-q09"}
    async with running_bot(inline_api, database_url, content_bank, clock) as bot:
        assert stale <= set(ids(await ask(bot, "clearview")))
        clock.now = datetime(2027, 5, 13, 9, 0, tzinfo=UTC)  # the day after their review_by
        assert stale.isdisjoint(ids(await ask(bot, "clearview")))
        assert "explainer:clearview-explainer" not in ids(await ask(bot, ""))


@pytest.fixture
def bot_log_at_debug() -> Iterator[io.StringIO]:
    """What the bot's own logging set-up writes at its most verbose; undone after the test."""
    root = logging.getLogger()
    names = ("telegram", "httpx", "httpcore", "apscheduler")
    saved = (list(root.handlers), root.level, {n: logging.getLogger(n).level for n in names})
    configure_logging("DEBUG")
    written = io.StringIO()
    [handler] = root.handlers
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(written)  # the bot's formatter and filters, into a buffer
    yield written
    root.handlers[:], root.level = saved[0], saved[1]
    for name, level in saved[2].items():
        logging.getLogger(name).setLevel(level)


async def test_the_query_is_neither_logged_nor_stored(
    inline_api,
    database_url,
    content_bank,
    clock,
    bot_log_at_debug: io.StringIO,
    caplog: pytest.LogCaptureFixture,
):
    secret = "divorcelawyer"
    async with running_bot(inline_api, database_url, content_bank, clock) as bot:
        await ask(bot, f"face {secret}")
        found = await ask(bot, "doorbell")
        assert found.results  # a real search ran (and was not logged either)
        counts = await bot.services.database.run(
            lambda c: {
                t.name: c.scalar(select(func.count()).select_from(t))
                for t in METADATA.sorted_tables
            }
        )
    logged = bot_log_at_debug.getvalue() + "\n".join(r.getMessage() for r in caplog.records)
    assert "answerInlineQuery" in logged  # the DEBUG lines were captured
    for word in (secret, "doorbell", str(STRANGER)):
        assert word not in logged
    assert set(counts.values()) == {0}, counts  # no user row, no trace of the query
