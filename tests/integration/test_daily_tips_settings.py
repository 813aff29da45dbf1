"""/subscribe, /settings, /unsubscribe and typed input, through the real Application.

The harness clock starts at 2026-03-10 09:00 UTC (10:00 in Berlin, 06:00 in Sao Paulo).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.flows import subscriptions as daily_tips
from bot.storage.repositories import users
from bot.telegram.context import STALE_BUTTON
from bot.telegram.handlers.fallback import POINTER
from tests.integration.button_answers import answers_to, bot_requests_besides_answers
from tests.integration.conftest import USER, BotHarness, running_bot
from tests.storage import queries

UTC_ZONE = ZoneInfo("UTC")


def subscription(bot: BotHarness):
    return bot.services.database.run_sync(lambda s: daily_tips.get(s, USER, UTC_ZONE))


def zone(bot: BotHarness) -> str | None:
    return bot.services.database.run_sync(lambda s: users.timezone_of(s, USER))


async def answer_text(bot: BotHarness, query_id: str) -> str:
    calls = await bot.api.await_for(
        "answerCallbackQuery", lambda r: r.params["callback_query_id"] == query_id
    )
    return str(calls[-1].params.get("text", ""))


async def test_subscribe_with_buttons_then_city_search(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        asked = await bot.say("/subscribe")
        assert "When should your daily tip arrive?" in asked.params["text"]
        times = bot.buttons(bot.last_message())
        assert "08:00" in times
        assert not any(label.startswith("02") for label in times)  # no DST-gap slots
        menu_id = bot.last_message()["message_id"]
        await bot.press(menu_id, times["08:00"])
        confirmed = bot.last_message()["text"]
        assert "Daily tips are on." in confirmed
        # A double tap on the same time (from the old keyboard) confirms nothing twice.
        fake_api.clear()
        query_id = await bot.press(menu_id, times["08:00"], expect=None, strict=False)
        assert answers_to(fake_api, query_id) == ["Already set to 08:00."]
        assert bot_requests_besides_answers(fake_api) == []
        assert bot.last_message()["text"] == confirmed
        assert "Next tip: tomorrow at 08:00" in confirmed
        assert "Type your city or region" in confirmed

        choices = await bot.say("Sao Paulo")
        assert "Time zones matching “Sao Paulo”" in choices.params["text"]
        picks = bot.buttons(bot.last_message())
        [(label, data)] = picks.items()
        assert label.startswith("America/Sao_Paulo (UTC-03:00)")
        await bot.press(bot.last_message()["message_id"], data)
        final = bot.last_message()["text"]
        assert "Time zone set to America/Sao_Paulo" in final
        assert "Every day at 08:00, America/Sao_Paulo" in final
        assert "Next tip: today at 08:00" in final  # it is 06:00 in Sao Paulo
        assert zone(bot) == "America/Sao_Paulo"
        sub = subscription(bot)
        assert sub.active
        assert sub.next_due_at.isoformat() == "2026-03-10T11:00:00+00:00"
        # The question is answered: more text is just text again.
        assert (await bot.say("Berlin")).params["text"] == POINTER
        assert fake_api.unanswered_callback_queries() == []


async def test_subscribe_shortcut_and_bad_input(fake_api, database_url, content_bank, clock):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        bad_time = await bot.say("/subscribe 25:99")
        assert "“25:99” is not a time I can use" in bad_time.params["text"]
        bad_zone = await bot.say("/subscribe 08:30 Mars/Base")
        assert "I found no time zone matching “Mars/Base”" in bad_zone.params["text"]
        assert subscription(bot) is None  # nothing changed

        done = await bot.say("/subscribe 08:30 Europe/Berlin")
        assert "Every day at 08:30, Europe/Berlin (UTC+01:00, now 10:00)" in done.params["text"]
        assert "Next tip: <b>tomorrow at 08:30</b>" in done.params["text"]
        assert zone(bot) == "Europe/Berlin"
        assert subscription(bot).next_due_at.isoformat() == "2026-03-11T07:30:00+00:00"


async def test_typed_time_survives_a_restart_and_bad_city_is_explained(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await bot.say("/subscribe")
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        wrong = await bot.say("quarter past seven")
        assert "is not a time I can use" in wrong.params["text"]
        done = await bot.say("7:15")
        assert "Next tip: <b>tomorrow at 07:15</b>" in done.params["text"]
        unknown = await bot.say("Atlantis")
        assert "I found no time zone matching “Atlantis”" in unknown.params["text"]
        kept = await bot.say("asia/kolkata")
        assert "Time zone set to Asia/Kolkata" in kept.params["text"]
        assert "Next tip: <b>today at 07:15</b>" not in kept.params["text"]  # 14:30 there
        assert "tomorrow at 07:15" in kept.params["text"]


async def test_settings_pause_resume_double_taps_and_unsubscribe(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        panel = await bot.say("/settings")
        assert "Status: off" in panel.params["text"]
        await bot.say("/subscribe 18:00")
        panel = await bot.say("/settings")
        assert "Status: on" in panel.params["text"]
        assert "Next tip: <b>today at 18:00</b>" in panel.params["text"]
        message_id = bot.last_message()["message_id"]
        await bot.press(message_id, "sub:pause", expect="editMessageText")
        assert "Status: paused" in bot.last_message()["text"]
        assert not subscription(bot).active
        # A double tap on the (now replaced) Pause button changes nothing.
        query_id = await bot.press(message_id, "sub:pause", expect=None, strict=False)
        assert await answer_text(bot, query_id) == "Already paused."
        await bot.press(message_id, "sub:resume", expect="editMessageText")
        assert "Status: on" in bot.last_message()["text"]

        await bot.press(message_id, "sub:time")
        await bot.say("19:30")
        assert "Time changed." in bot.last_message()["text"]
        assert "Time: 19:30" in bot.last_message()["text"]

        stopped = await bot.say("/unsubscribe")
        assert "Daily tips are off." in stopped.params["text"]
        assert "/subscribe" in stopped.params["text"]
        assert not subscription(bot).active
        again = await bot.say("/unsubscribe")
        assert "nothing to stop" in again.params["text"]
        assert fake_api.unanswered_callback_queries() == []


# Each starts like a daily-tip button; none is one we send.
FORGED_SUB_DATA = (
    "sub:z:Mars/Base",  # shaped like a zone, but there is no such zone
    "sub:z:keep\n",
    "sub:z:../../etc",
    "sub:z:../../x",
    "sub:z:" + "A" * 64,  # 70 bytes: more than Telegram carries
    "sub:t:2599",
    "sub:t:2400",
    "sub:t:0860",
    "sub:explode",
    "sub:pause:now",
    "sub:keep",
)


async def test_forged_and_stale_sub_buttons_change_nothing(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await bot.say("/subscribe 08:30 Europe/Berlin")
        message_id = bot.last_message()["message_id"]
        before = subscription(bot)
        fake_api.clear()
        for data in FORGED_SUB_DATA:
            query_id = await bot.press(message_id, data, expect=None, strict=False)
            assert answers_to(fake_api, query_id) == [STALE_BUTTON], data  # exactly once
        assert bot_requests_besides_answers(fake_api) == []  # nothing sent, nothing edited
        assert zone(bot) == "Europe/Berlin"
        assert subscription(bot) == before
        assert (await bot.say("hello")).params["text"] == POINTER  # no question was opened
        query_id = await bot.press(message_id, "sub:z:Europe/Berlin", expect=None, strict=False)
        assert answers_to(fake_api, query_id) == ["Your time zone is already Europe/Berlin."]
        assert fake_api.unanswered_callback_queries() == []


async def test_main_menu_daily_tips_button_opens_settings(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await bot.say("/start")
        menu = bot.last_message()
        await bot.press(menu["message_id"], bot.buttons(menu)["📅 Daily tips"])
        panel = bot.last_message()
        assert "Daily tips" in panel["text"]
        assert "📅 Get a tip every day" in bot.buttons(panel)
        await bot.press(panel["message_id"], "sub:time")
        assert "When should your daily tip arrive?" in bot.last_message()["text"]


async def test_kicked_marks_unreachable_and_start_brings_back(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await bot.say("/subscribe 08:30")
        fake_api.set_member_status(USER, "kicked")
        for _ in range(200):
            if not bot.services.database.run_sync(lambda s: queries.is_reachable(s, USER)):
                break
            await fake_api_idle()
        assert not bot.services.database.run_sync(lambda s: queries.is_reachable(s, USER))
        await bot.say("/start")  # unblocking sends "member" first, then /start
        assert bot.services.database.run_sync(lambda s: queries.is_reachable(s, USER))


async def fake_api_idle() -> None:
    import asyncio

    await asyncio.sleep(0.01)
