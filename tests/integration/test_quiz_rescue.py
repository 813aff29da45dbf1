"""No quiz is lost: a question whose send failed is sent again, across a restart too.

Telegram may refuse a send (two 429s in a row, a 502) or the bot may stop between grading an
answer and sending the next question. The answer is saved either way; these tests check that
the next question still reaches the user, or that they are told plainly why it cannot.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.telegram.handlers.quiz import QUESTION_DELAYED
from bot.telegram.quiz_rescue_job import GAVE_UP, MAX_ATTEMPTS, rescue_with
from tests.integration.conftest import USER, running_bot


def ok_polls(fake_api) -> list[Any]:
    return [r for r in fake_api.calls("sendPoll") if r.ok and r.chat_id == USER]


async def fail_question_two(bot, fake_api, error_code: int = 502) -> None:
    """Start a quiz, answer question 1, and make question 2's send fail."""
    fake_api.send_text(USER, "/quiz cctv")
    await fake_api.await_for("sendPoll")
    first = fake_api.last_poll(USER)
    fake_api.fail_next("sendPoll", error_code=error_code, count=1)
    fake_api.answer_poll(USER, first.poll_id, [first.correct_option_id])
    await fake_api.await_for("sendPoll", count=2)
    await bot.wait_until_quiet()


async def test_a_failed_question_is_sent_again_and_the_quiz_goes_on(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await fail_question_two(bot, fake_api)
        told = [r.params["text"] for r in fake_api.calls("sendMessage") if r.chat_id == USER]
        assert QUESTION_DELAYED in told
        assert len(ok_polls(fake_api)) == 1
        # A send may still be in flight for a few seconds: nothing is sent twice meanwhile.
        clock.advance(timedelta(seconds=5))
        assert await rescue_with(bot.services, bot.app.bot, {}) == 0
        clock.advance(timedelta(minutes=1))
        assert await rescue_with(bot.services, bot.app.bot, {}) == 1
        await bot.wait_until_quiet()
        polls = ok_polls(fake_api)
        assert len(polls) == 2
        assert polls[-1].params["question"].startswith("(2/5)")
        clock.advance(timedelta(minutes=1))  # the user takes their time: it is out, once is enough
        assert await rescue_with(bot.services, bot.app.bot, {}) == 0
        await bot.answer_current_poll(0)
        assert ok_polls(fake_api)[-1].params["question"].startswith("(3/5)")


async def test_a_question_lost_before_a_restart_is_sent_after_it(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await fail_question_two(bot, fake_api)
    clock.advance(timedelta(minutes=2))
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        assert await rescue_with(bot.services, bot.app.bot, {}) == 1
        await bot.wait_until_quiet()
        assert ok_polls(fake_api)[-1].params["question"].startswith("(2/5)")


async def test_a_question_telegram_refuses_ends_the_quiz_and_says_so(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await fail_question_two(bot, fake_api)
        clock.advance(timedelta(minutes=1))
        fake_api.fail_next("sendPoll", error_code=400, count=1)
        assert await rescue_with(bot.services, bot.app.bot, {}) == 0
        await bot.wait_until_quiet()
        assert bot.last_message()["text"] == GAVE_UP
        clock.advance(timedelta(minutes=1))
        assert await rescue_with(bot.services, bot.app.bot, {}) == 0  # nothing left to try
        assert len(ok_polls(fake_api)) == 1


async def test_a_question_that_keeps_failing_is_given_up_after_a_few_tries(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await fail_question_two(bot, fake_api)
        attempts: dict[int, int] = {}
        fake_api.fail_next("sendPoll", error_code=502, count=MAX_ATTEMPTS)
        for _ in range(MAX_ATTEMPTS):
            clock.advance(timedelta(minutes=1))
            assert await rescue_with(bot.services, bot.app.bot, attempts) == 0
        await bot.wait_until_quiet()
        assert bot.last_message()["text"] == GAVE_UP
        messages = [r.params["text"] for r in fake_api.calls("sendMessage") if r.chat_id == USER]
        assert messages.count(GAVE_UP) == 1
