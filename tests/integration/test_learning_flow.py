"""A user's whole learning journey through the real Application and the fake Bot API."""

from __future__ import annotations

from datetime import timedelta

from tests.integration.conftest import USER, BotHarness, running_bot


def correct_option(harness: BotHarness) -> int:
    poll = harness.api.last_poll(USER)
    assert poll is not None
    assert poll.correct_option_id is not None
    return poll.correct_option_id


async def answer_quiz(harness: BotHarness, right: list[bool]) -> None:
    for is_right in right:
        correct = correct_option(harness)
        await harness.answer_current_poll(correct if is_right else (correct + 1) % 3)


async def test_start_learn_quiz_progress_review(fake_api, database_url, content_bank, clock):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        welcome = await bot.say("/start")
        assert "What I store" in welcome.params["text"]
        menu = bot.buttons(bot.last_message())
        assert set(menu) == {
            "📚 Learn",
            "❓ Quiz",
            "💡 Tip",
            "📅 Daily tips",
            "🧭 Check-up",
            "📈 My progress",
        }

        # Learn: topic list -> explainer -> every page -> sources.
        await bot.press(bot.last_message()["message_id"], menu["📚 Learn"])
        topics = bot.last_message()
        assert "Pick a topic" in topics["text"]
        await bot.press(topics["message_id"], bot.buttons(topics)["CCTV everywhere"])
        explainer = bot.last_message()
        assert explainer["message_id"] != topics["message_id"]
        total = content_bank.explainer_for("cctv").pages.__len__() + 1
        assert f"1/{total}" in explainer["text"]
        for page in range(2, total + 1):
            next_page = bot.buttons(bot.last_message())["Next ▶"]
            await bot.press(explainer["message_id"], next_page, expect="editMessageText")
            assert f"{page}/{total}" in bot.last_message()["text"]
        assert "What you can do" in bot.last_message()["text"]
        assert "Next ▶" not in bot.buttons(bot.last_message())
        await bot.press(explainer["message_id"], "src:cctv")
        sources = bot.last_message()
        assert sources["text"].startswith("Sources: CCTV everywhere")
        assert any(e["type"] == "text_link" for e in sources.get("entities", []))

        # Quiz: five polls, three right, two wrong.
        await bot.press(explainer["message_id"], "quiz:start:cctv", expect="sendPoll")
        await answer_quiz(bot, [True, False, True, False, True])
        polls = fake_api.calls("sendPoll")
        assert len(polls) == 5
        assert len({p.params["question"] for p in polls}) == 5
        assert all(p.params["is_anonymous"] is False and p.params["type"] == "quiz" for p in polls)
        summary = bot.last_message()
        assert "Quiz finished: 3/5" in summary["text"]
        assert summary["text"].count("✅") == 2
        assert {"🔁 Retry my mistakes", "❓ Another quiz", "📚 Read the explainer"} <= set(
            bot.buttons(summary)
        )
        assert (
            bot.buttons(summary)["🔗 Share"] == "https://t.me/PrivacyAwareTestBot?start=quiz_cctv"
        )

        progress = await bot.say("/progress")
        text = progress.params["text"]
        assert "5 answers · 60% right" in text
        assert "📚 1/" in text
        assert "explainers read" in text
        assert "Streak: 1 day in a row" in text
        assert "No reviews due" in text

        # The two misses come back a day later.
        clock.advance(timedelta(days=1, minutes=1))
        assert "2 questions due for review" in (await bot.say("/start")).params["text"]
        fake_api.send_text(USER, "/review")
        await fake_api.await_for("sendPoll", count=6)
        await answer_quiz(bot, [True, True])
        assert "Review finished: 2/2" in bot.last_message()["text"]
        after = (await bot.say("/progress")).params["text"]
        assert "Streak: 2 days in a row" in after
        assert fake_api.unanswered_callback_queries() == []
