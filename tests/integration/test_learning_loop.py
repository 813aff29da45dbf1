"""From knowing to doing: retry mistakes at once, a /review that never dead-ends, a short
/progress for a new user, and a summary whose tone fits the score."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from bot.storage.repositories import users
from bot.telegram.context import STALE_BUTTON
from tests.integration.conftest import USER, BotHarness, running_bot

RETRY = "🔁 Retry my mistakes"


def correct_option(harness: BotHarness) -> int:
    poll = harness.api.last_poll(USER)
    assert poll is not None
    assert poll.correct_option_id is not None
    return poll.correct_option_id


async def answer_quiz(harness: BotHarness, right: list[bool]) -> list[str]:
    """Answer the polls as they come, right or wrong as listed; returns their questions."""
    asked = []
    for is_right in right:
        poll = harness.api.last_poll(USER)
        assert poll is not None
        asked.append(poll.question)
        correct = correct_option(harness)
        await harness.answer_current_poll(correct if is_right else (correct + 1) % 3)
    return asked


def poll_requests(harness: BotHarness, since: int) -> list[dict[str, Any]]:
    return [r.params for r in harness.api.calls("sendPoll")[since:]]


def unnumbered(question: str) -> str:
    """A poll's question without its "(2/5)" counter (long questions go without one)."""
    return re.sub(r"^\(\d+/\d+\) ", "", question)


async def test_retry_reasks_only_the_misses_and_review_still_serves_them_next_day(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        fake_api.send_text(USER, "/quiz cctv")
        await fake_api.await_for("sendPoll")
        asked = await answer_quiz(bot, [True, False, True, False, True])
        missed = {asked[1], asked[3]}
        summary = bot.last_message()
        assert "Quiz finished: 3/5" in summary["text"]
        retry_data = bot.buttons(summary)[RETRY]

        before = len(fake_api.calls("sendPoll"))
        await bot.press(summary["message_id"], retry_data, expect="sendPoll")
        retried = await answer_quiz(bot, [True, True])
        polls = poll_requests(bot, before)
        assert len(polls) == 2
        assert {unnumbered(p["question"]) for p in polls} == {unnumbered(q) for q in missed}
        explanations = {q.question: q.explanation for q in content_bank.questions}
        for poll in polls:  # each retry poll carries its question's explanation
            assert poll["explanation"] == explanations[unnumbered(poll["question"])]
        assert len(retried) == 2
        assert "Retry finished: 2/2" in bot.last_message()["text"]

        # The retry button of the old summary is now stale: it answers calmly, sends nothing.
        polls_now = len(fake_api.calls("sendPoll"))
        query = await bot.press(summary["message_id"], retry_data, expect=None)
        answers = fake_api.calls("answerCallbackQuery")
        stale = [a for a in answers if a.params["callback_query_id"] == query]
        assert stale[-1].params.get("text") == STALE_BUTTON
        assert len(fake_api.calls("sendPoll")) == polls_now

        # The retry did not promote them: a day later /review serves exactly those two.
        clock.advance(timedelta(days=1, minutes=1))
        before = len(fake_api.calls("sendPoll"))
        fake_api.send_text(USER, "/review")
        await fake_api.await_for("sendPoll", count=before + 1)
        reviewed = await answer_quiz(bot, [True, True])
        assert {unnumbered(q) for q in reviewed} == {unnumbered(q) for q in missed}
        assert "Review finished: 2/2" in bot.last_message()["text"]
        assert fake_api.unanswered_callback_queries() == []


async def test_review_with_nothing_due_names_the_next_time_in_the_users_zone(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        nothing = await bot.say("/review")
        assert "Nothing is scheduled for review yet" in nothing.params["text"]
        assert "🎉" not in nothing.params["text"]

        fake_api.send_text(USER, "/quiz cctv")
        await fake_api.await_for("sendPoll")
        await answer_quiz(bot, [True, True, True, True, False])
        # Berlin is UTC+1 in March: a miss at 09:00 UTC is due at 10:00 Berlin time tomorrow.
        await bot.services.database.run(lambda c: users.set_timezone(c, USER, "Europe/Berlin"))
        clock.advance(timedelta(hours=3))

        reply = await bot.say("/review")
        text = reply.params["text"]
        assert "Your next review is tomorrow at 10:00." in text
        assert "🎉" not in text
        offered = bot.buttons(bot.last_message())
        assert set(offered) == {"❓ Take a quiz"}
        before = len(fake_api.calls("sendPoll"))
        await bot.press(bot.last_message()["message_id"], offered["❓ Take a quiz"], "sendPoll")
        assert len(fake_api.calls("sendPoll")) == before + 1


async def test_no_party_after_zero_out_of_five(fake_api, database_url, content_bank, clock):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        fake_api.send_text(USER, "/quiz cctv")
        await fake_api.await_for("sendPoll")
        await answer_quiz(bot, [False] * 5)
        summary = bot.last_message()
        assert "Quiz finished: 0/5" in summary["text"]
        assert "🎉" not in summary["text"]
        assert "well done" not in summary["text"].lower()
        first_button = summary["reply_markup"]["inline_keyboard"][0][0]
        assert first_button["text"] == RETRY


async def test_a_new_users_progress_is_short(fake_api, database_url, content_bank, clock):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        reply = await bot.say("/progress")
        text = bot.last_message()["text"]
        assert len(text.splitlines()) <= 3
        assert "▓" not in text
        assert "░" not in text
        assert "getting started" in text
        assert {"📚 Learn", "❓ Quiz"} <= set(bot.buttons(bot.last_message()))
        assert reply.ok


async def test_active_progress_lists_started_topics_and_sums_up_the_rest(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        fake_api.send_text(USER, "/quiz cctv")
        await fake_api.await_for("sendPoll")
        await answer_quiz(bot, [True, False, True, False, True])
        text = (await bot.say("/progress")).params["text"]
        assert "5 answers · 60% right" in text
        assert "Streak: 1 day in a row" in text
        assert "CCTV everywhere" in text
        untouched = len(content_bank.topics) - 1
        assert f"{untouched} topics not started yet — /learn" in text
        others = [t.title for t in content_bank.topics if t.id != "cctv"]
        assert not any(title in text for title in others)


async def test_unknown_topic_offers_the_real_topics_by_title(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        text = (await bot.say("/quiz xyz")).params["text"]
        assert text.startswith("I don’t know that topic — try: CCTV everywhere")
        assert "xyz" not in text
        offered = bot.buttons(bot.last_message())
        assert offered["CCTV everywhere"] == "quiz:start:cctv"
