"""/tip through the real Application and the fake Bot API: unseen first, buttons, stale data."""

from __future__ import annotations

import re

from bot.storage.repositories import tips
from bot.telegram.context import STALE_BUTTON
from bot.telegram.handlers.fallback import POINTER
from tests.integration.button_answers import answers_to, bot_requests_besides_answers
from tests.integration.conftest import USER, running_bot

TITLE = re.compile(r"^💡 <b>(.+?)</b>")


async def test_tip_shows_title_text_source_and_buttons(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        reply = await bot.say("/tip")
        first = content_bank.tips[0]
        text = reply.params["text"]
        assert text.startswith("💡 <b>")
        assert first.text.strip() in text
        assert f'Source: <a href="{first.sources[0].url}">' in text
        shown = bot.last_message()
        assert any(e["type"] == "bold" for e in shown["entities"])
        assert any(e["type"] == "text_link" for e in shown["entities"])
        assert bot.buttons(shown) == {
            "✅ Done": f"act:done:t:{first.id}",
            "Not for me": f"act:skip:t:{first.id}",
            "⏰ Remind me in 3 days": f"act:remind:t:{first.id}",
            "💡 Another tip": "tip:next",
            "📅 Daily tips": "sub:menu",
        }


async def test_another_tip_walks_every_tip_before_any_repeat(
    fake_api, database_url, content_bank, clock
):
    total = len(content_bank.tips)
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await bot.say("/tip")
        for _ in range(total):  # total - 1 more new tips, then the first repeat
            await bot.press(bot.last_message()["message_id"], "tip:next")
        titles = [
            TITLE.match(r.params["text"]).group(1)  # type: ignore[union-attr]
            for r in fake_api.calls("sendMessage")
            if r.params["text"].startswith("💡")
        ]
        assert len(titles) == total + 1
        assert len(set(titles[:total])) == total  # no repeat before all are seen
        assert titles[total] == titles[0]  # then the longest-ago seen comes back
        assert "You have seen all" in bot.last_message()["text"]
        seen = await bot.services.database.run(lambda s: len(tips.history(s, USER)))
        assert seen == total
        assert fake_api.unanswered_callback_queries() == []


async def test_menu_tip_button_and_forged_tip_data(fake_api, database_url, content_bank, clock):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await bot.say("/start")
        menu = bot.last_message()
        await bot.press(menu["message_id"], bot.buttons(menu)["💡 Tip"])
        assert bot.last_message()["text"].startswith("💡")
        fake_api.clear()
        for data in ("tip:bogus", "tip:next:2", "tip:next\n"):
            query_id = await bot.press(menu["message_id"], data, expect=None, strict=False)
            assert answers_to(fake_api, query_id) == [STALE_BUTTON]  # exactly once
        assert bot_requests_besides_answers(fake_api) == []
        assert bot.services.database.run_sync(lambda s: len(tips.history(s, USER))) == 1
        # Free text nobody asked for still gets the fallback's exact reply.
        assert (await bot.say("hello there")).params["text"] == POINTER
