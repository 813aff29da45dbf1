"""The progress card and discreet mode, end to end over the fake Bot API."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PIL import Image
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot.config import load_settings
from bot.core.content import ContentBank
from bot.core.delivery import DeliveryPolicy
from bot.flows import discreet as discreet_flow
from bot.flows import subscriptions as daily_tips
from bot.flows.progress import progress_of
from bot.images.card import HEIGHT, WIDTH
from bot.storage.database import Database
from bot.telegram.callbacks import card as card_data
from bot.telegram.callbacks import discreet as discreet_data
from bot.telegram.callbacks.card import Switch
from bot.telegram.card_job import send_weekly_with
from bot.telegram.delivery_job import deliver_with
from bot.telegram.rate_limiter import rate_limiter_for
from bot.telegram.services import Services
from tests.fakes.bot_api import FakeBotAPI, RecordedRequest
from tests.integration.conftest import TOKEN, USER, BotHarness, running_bot
from tests.storage import queries

UTC_ZONE = ZoneInfo("UTC")


def photo_of(api: FakeBotAPI, request: RecordedRequest) -> Image.Image:
    """The PNG the user received, decoded."""
    message = next(m for m in api.messages(USER) if "photo" in m)
    data = api.state.uploads[message["photo"][-1]["file_id"]]
    assert request.files["photo"][1] == len(data)
    return Image.open(io.BytesIO(data))


async def press_card(bot: BotHarness) -> RecordedRequest:
    progress = await bot.say("/progress")
    assert progress.params["reply_markup"]["inline_keyboard"][-1][0]["text"] == "📊 Card"
    message_id = bot.last_message()["message_id"]
    assert bot.buttons(bot.last_message())["📊 Card"] == card_data.SHOW
    await bot.press(message_id, card_data.SHOW, expect="sendPhoto")
    return bot.api.calls("sendPhoto")[-1]


async def test_card_is_a_png_photo_whose_caption_carries_the_same_numbers(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        fake_api.send_text(USER, "/quiz")
        await fake_api.await_for("sendPoll")
        await bot.wait_until_quiet()
        for _ in range(5):  # every answer right: mastery, answers and accuracy move
            poll = fake_api.last_poll(USER)
            assert poll is not None
            assert poll.correct_option_id is not None
            await bot.answer_current_poll(poll.correct_option_id)
        sent = await press_card(bot)
        assert sent.ok
        image = photo_of(fake_api, sent)
        assert image.format == "PNG"
        assert image.size == (WIDTH, HEIGHT)
        image.load()  # decodes the whole file, not just its header

        summary = bot.services.database.run_sync(
            lambda c: progress_of(
                c, content_bank, user_id=USER, now=clock(), default_zone=UTC_ZONE
            )
        )
        caption = sent.params["caption"]
        assert caption.startswith("📊 Your progress card (10 March 2026)")
        assert f"Answers: {summary.answered}, {round(summary.accuracy * 100)}% right" in caption
        assert "Answers: 5, 100% right" in caption
        assert f"Streak: 1 day (best {summary.streak.best})" in caption
        assert f"Reviews due: {summary.reviews_due}" in caption
        for topic in summary.topics:
            assert f"• {topic.title}: {topic.mastered} of {topic.total}" in caption
        assert sum(t.mastered for t in summary.topics) == 5
        assert len(caption) <= 1024
        assert "parse_mode" not in sent.params  # plain text: titles with "&" stay as they are
        assert "disable_notification" not in sent.params  # asked for: not a quiet send
        assert fake_api.unanswered_callback_queries() == []


async def test_card_for_a_new_user(fake_api, database_url, content_bank, clock):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        sent = await press_card(bot)
        assert photo_of(fake_api, sent).size == (WIDTH, HEIGHT)
        assert "Answers: none yet, try /quiz" in sent.params["caption"]
        assert "Streak: 0 days (best 0)" in sent.params["caption"]


async def test_discreet_toggles_and_its_settings_row(fake_api, database_url, content_bank, clock):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        on = (await bot.say("/discreet")).params["text"]
        assert "Discreet mode is on" in on
        panel = bot.last_message()
        assert set(bot.buttons(panel)) == {
            "1 hour",
            "6 hours",
            "24 hours",
            "✓ Keep lessons",
            "🔔 Turn off discreet mode",
        }
        await bot.press(panel["message_id"], discreet_data.delete_after(6), "editMessageText")
        assert "after 6 hours" in bot.last_message()["text"]
        assert "✓ 6 hours" in bot.buttons(bot.last_message())

        off = (await bot.say("/discreet")).params["text"]
        assert "Discreet mode is off" in off
        assert set(bot.buttons(bot.last_message())) == {"🤫 Turn on discreet mode"}
        again = (await bot.say("/discreet")).params["text"]
        assert "Discreet mode is on" in again
        assert "after 6 hours" in again

        settings = await bot.say("/settings")
        assert "Discreet mode: on" in settings.params["text"]
        assert "Weekly card: off" in settings.params["text"]
        buttons = bot.buttons(bot.last_message())
        assert buttons["🤫 Discreet mode"] == discreet_data.MENU
        await bot.press(bot.last_message()["message_id"], discreet_data.MENU)
        assert "Discreet mode is on" in bot.last_message()["text"]
        assert fake_api.unanswered_callback_queries() == []


async def test_discreet_daily_tip_is_silent_protected_and_neutral(
    fake_api, database, content_bank
):
    noon = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    for user_id in (1, 2):
        fake_api.add_user(user_id)
    database.run_sync(lambda c: _subscribe(c, [1, 2], noon))
    database.run_sync(lambda c: discreet_flow.set_discreet(c, 2, True, noon))
    database.run_sync(lambda c: discreet_flow.set_delete_after(c, 2, 24, noon))
    await _one_pass(fake_api, database, content_bank, noon)

    tips = {r.chat_id: r for r in fake_api.calls("sendMessage") if r.ok}
    plain, quiet = tips[1].params, tips[2].params
    assert plain["text"].startswith("📅 <i>Your daily tip</i>")
    assert "disable_notification" not in plain
    assert "protect_content" not in plain
    assert quiet["text"].startswith("📝 <i>Your daily note</i>\n\n")
    assert quiet["disable_notification"] is True
    assert quiet["protect_content"] is True
    # The tip itself follows the neutral line, and it will delete itself a day later.
    assert re.sub(r"^.*?\n\n", "", quiet["text"], count=1) == re.sub(
        r"^.*?\n\n", "", plain["text"], count=1
    )
    tip_message_id = fake_api.messages(2)[-1]["message_id"]
    assert database.run_sync(queries.messages_to_delete) == [(2, tip_message_id)]


async def test_lessons_delete_themselves_after_a_restart(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await bot.say("/discreet")
        await bot.press(
            bot.last_message()["message_id"], discreet_data.delete_after(1), "editMessageText"
        )
        await bot.say("/learn")
        topics = bot.last_message()
        await bot.press(topics["message_id"], bot.buttons(topics)["CCTV everywhere"])
        explainer = bot.last_message()["message_id"]
        await bot.say("/tip")
        tip = bot.last_message()["message_id"]
        await bot.say("/help")  # not a lesson: stays
        recorded = bot.services.database.run_sync(queries.messages_to_delete)
        assert recorded == [(USER, explainer), (USER, tip)]
    # The user deleted the tip themselves while the bot was down.
    del fake_api.state.chats[USER].messages[tip]

    clock.advance(timedelta(hours=1, minutes=1))
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        deletes = await fake_api.await_for("deleteMessage", count=2, timeout=10)
        await bot.wait_until_quiet()
        assert sorted(r.params["message_id"] for r in deletes) == [explainer, tip]
        assert [r.ok for r in sorted(deletes, key=lambda r: r.params["message_id"])] == [
            True,
            False,  # "message to delete not found": done, not retried
        ]
        assert bot.services.database.run_sync(queries.messages_to_delete) == []
        ids = {m["message_id"] for m in fake_api.messages(USER)}
        assert explainer not in ids
        assert tip not in ids
        assert bot.app.job_queue is not None
        await bot.app.job_queue.get_jobs_by_name("delete-lessons")[0].run(bot.app)
        assert len(fake_api.calls("deleteMessage")) == 2  # once each, not again


async def test_weekly_card_goes_once_a_week(fake_api, database_url, content_bank, clock):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await bot.say("/subscribe 08:00 UTC")
        await bot.say("/discreet")
        await bot.say("/settings")
        panel = bot.last_message()
        assert bot.buttons(panel)["📊 Get a weekly card"] == card_data.weekly(Switch.ON)
        await bot.press(panel["message_id"], card_data.weekly(Switch.ON), "editMessageText")
        assert "Weekly card: on" in bot.last_message()["text"]

        services, api_bot = bot.services, bot.app.bot
        assert await send_weekly_with(services, api_bot) == 0  # this week counts as done
        clock.now = datetime(2026, 3, 16, 7, 59, tzinfo=UTC)  # Monday, before the tip time
        assert await send_weekly_with(services, api_bot) == 0
        clock.now = datetime(2026, 3, 16, 8, 0, tzinfo=UTC)
        assert await send_weekly_with(services, api_bot) == 1
        clock.advance(timedelta(days=2))
        assert await send_weekly_with(services, api_bot) == 0  # once a week
        await bot.wait_until_quiet()
        photos = fake_api.calls("sendPhoto")
        assert len(photos) == 1
        params = photos[0].params
        assert params["caption"].startswith("📝 Your weekly note (16 March 2026)")
        assert params["disable_notification"] is True
        assert params["protect_content"] is True
        clock.now = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)
        assert await send_weekly_with(services, api_bot) == 1
        statuses = [row[2] for row in services.database.run_sync(queries.weekly_card_rows)]
        assert statuses == ["skipped", "sent", "sent"]


def _subscribe(connection: Any, user_ids: list[int], now: datetime) -> None:
    for user_id in user_ids:
        daily_tips.subscribe(connection, user_id, time(9), now - timedelta(hours=6), UTC_ZONE)


async def _one_pass(api: FakeBotAPI, database: Database, bank: ContentBank, now: datetime) -> None:
    policy = DeliveryPolicy(rate_limit=500)
    settings = load_settings(
        telegram_bot_token=TOKEN, telegram_api_base_url=api.base_url, tips_rate_limit=500
    )
    services = Services(settings, bank, database, clock=lambda: now)
    request = HTTPXRequest(connection_pool_size=8)
    limiter = rate_limiter_for(settings)
    async with ExtBot(
        TOKEN, base_url=settings.telegram_api_base_url, request=request, rate_limiter=limiter
    ) as bot:
        report = await deliver_with(services, bot, policy)
    assert report.sent == 2
