"""The 7-day check-up and ticking actions off, through the real Application and fake Bot API."""

from __future__ import annotations

from datetime import timedelta

from bot.delivery.followups import run_followups
from bot.storage.tables import USER_ACTIONS
from bot.telegram.context import STALE_BUTTON
from bot.telegram.delivery_job import TelegramTipSender
from tests.integration.conftest import USER, BotHarness, running_bot


def _texts(bot: BotHarness) -> list[str]:
    return [r.params["text"] for r in bot.api.calls("sendMessage") if r.chat_id == USER]


def _answers(bot: BotHarness) -> list[str]:
    return [r.params.get("text", "") for r in bot.api.calls("answerCallbackQuery")]


async def _start_android(bot: BotHarness) -> None:
    reply = await bot.say("/checkup")
    assert "Which device" in reply.params["text"]
    question = bot.last_message()
    assert bot.buttons(question)["Android"] == "ck:p:android"
    await bot.press(question["message_id"], "ck:p:android")
    await bot.wait_for_sends(USER, 4)  # the question, the day and its two polls


async def _followups(bot: BotHarness) -> None:
    services = bot.services
    await run_followups(
        services.database,
        services.content,
        TelegramTipSender(bot.app.bot),
        clock=services.clock,
        default_zone=services.settings.timezone,
    )
    await bot.wait_until_quiet()


async def test_a_checkup_day_with_its_action_ticked_and_shown(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await _start_android(bot)
        day = [t for t in _texts(bot) if "day 1 of 7" in t]
        assert len(day) == 1
        assert "Your step (Android)" in day[0]
        polls = [r for r in fake_api.calls("sendPoll") if r.chat_id == USER]
        assert len(polls) == 2
        message = next(
            m for m in reversed(fake_api.messages(USER)) if "day 1 of 7" in m.get("text", "")
        )
        assert bot.buttons(message)["✅ Done"] == "act:done:c:checkup-lock-android"
        await bot.press(
            message["message_id"], "act:done:c:checkup-lock-android", "editMessageReplyMarkup"
        )
        assert "Marked as done" in _answers(bot)[-1]
        edited = next(
            m for m in fake_api.messages(USER) if m["message_id"] == message["message_id"]
        )
        assert "✅ Done ✓" in bot.buttons(edited)
        reply = await bot.say("/checklist")
        text = reply.params["text"]
        done, left = text.split("⬜ Left")
        assert "Done: 1" in done
        assert "Day 1: Hide lock-screen content" in done
        assert "⬜ Left: 6" in text
        assert "Day 1:" not in left


async def test_next_day_now_moves_on_once_and_an_old_tap_is_stale(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await _start_android(bot)
        day_one = next(
            m for m in reversed(fake_api.messages(USER)) if "day 1 of 7" in m.get("text", "")
        )
        await bot.press(day_one["message_id"], "ck:n:1")
        assert sum("day 2 of 7" in t for t in _texts(bot)) == 1
        await bot.press(day_one["message_id"], "ck:n:1", expect=None)
        assert _answers(bot)[-1] == STALE_BUTTON
        assert sum("day 2 of 7" in t for t in _texts(bot)) == 1
        reply = await bot.say("/checkup")  # resumes where the user is
        assert "day 2 of 7" in reply.params["text"]


async def test_a_reminder_is_sent_exactly_once_after_a_restart(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await bot.say("/tip")
        tip = bot.last_message()
        data = next(d for t, d in bot.buttons(tip).items() if t.startswith("⏰"))
        await bot.press(tip["message_id"], data, "editMessageReplyMarkup")
        assert "remind you in 3 days" in _answers(bot)[-1]
        await _followups(bot)  # not due yet
        assert not any("You asked me to remind you" in t for t in _texts(bot))
    clock.advance(timedelta(days=3, hours=1))  # the bot was down when it fell due
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await _followups(bot)
        await _followups(bot)
        reminders = [t for t in _texts(bot) if "You asked me to remind you" in t]
        assert len(reminders) == 1


async def test_the_daily_delivery_opens_the_next_day_once_per_local_date(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await bot.say("/subscribe 08:30 UTC")
        await _start_android(bot)
        await _followups(bot)  # day 1 was opened today: nothing more today
        assert not any("day 2 of 7" in t for t in _texts(bot))
        clock.advance(timedelta(days=1))
        await _followups(bot)
        await _followups(bot)
        assert sum("day 2 of 7" in t for t in _texts(bot)) == 1


async def test_forged_and_stale_action_buttons_change_nothing(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await bot.say("/tip")
        tip = bot.last_message()
        await bot.press(tip["message_id"], "act:done:t:no-such-tip", expect=None, strict=False)
        assert _answers(bot)[-1] == STALE_BUTTON
        await bot.press(tip["message_id"], "act:done:x:foo", expect=None, strict=False)
        await bot.press(
            tip["message_id"], "act:done:c:checkup-lock-ios\n", expect=None, strict=False
        )
        rows = bot.services.database.run_sync(lambda s: s.execute(USER_ACTIONS.select()).all())
        assert rows == []
