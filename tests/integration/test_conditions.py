"""Real conditions: restarts mid-quiz, stale and forged buttons, double taps, deep links,
odd input and users who blocked the bot."""

from __future__ import annotations

import pytest

from bot.telegram.context import STALE_BUTTON
from bot.telegram.handlers.fallback import POINTER
from bot.telegram.handlers.quiz import ALREADY_RUNNING, LOST_TRACK
from tests.integration.button_answers import answers_to
from tests.integration.conftest import USER, running_bot
from tests.storage import queries


async def test_restart_in_the_middle_of_a_quiz_loses_nothing(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        fake_api.send_text(USER, "/quiz clearview")
        await fake_api.await_for("sendPoll")
        for _ in range(2):
            poll = fake_api.last_poll(USER)
            await bot.answer_current_poll(poll.correct_option_id)
    # The bot is down; the user answers the third question meanwhile.
    third = fake_api.last_poll(USER)
    assert third is not None
    fake_api.answer_poll(USER, third.poll_id, [third.correct_option_id])
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await fake_api.await_for("sendPoll", count=4)
        for _ in range(2):
            await bot.answer_current_poll(fake_api.last_poll(USER).correct_option_id)
        assert "Quiz finished: 5/5" in bot.last_message()["text"]
    assert len(fake_api.calls("sendPoll")) == 5


@pytest.mark.parametrize(
    "data",
    [
        "learn:no-such-topic:0",
        "learn:cctv:99",
        "src:no-such-topic",
        "quiz:start:no-such-topic",
        "quiz:start:cctv:extra",
        "forget:maybe",
        "totally-made-up",
        "learn:CCTV:0",
        "learn:ZZZ",
        "learn:no-such-topic",
        "learn:cctv:01",
        "learn:cctv\n",
        "learn:" + "a" * 64,  # 70 bytes: more than Telegram carries
        "src:cctv:0",
        "review:start:cctv",
        "menu:learn:x",
        "tip:next\n",
        "forget:yes\n",
    ],
    ids=repr,
)
async def test_forged_or_stale_buttons_get_a_calm_answer_and_change_nothing(
    fake_api, database_url, content_bank, clock, data
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await bot.say("/start")
        menu_id = bot.last_message()["message_id"]
        fake_api.clear()
        query_id = await bot.press(menu_id, data, expect=None, strict=False)
        assert answers_to(fake_api, query_id) == [STALE_BUTTON]  # answered exactly once
        sent = [r.method for r in fake_api.requests if r.method != "getUpdates"]
        assert sent == ["answerCallbackQuery"]


async def test_double_tap_on_quiz_sends_one_poll(fake_api, database_url, content_bank, clock):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await bot.say("/start")
        menu_id = bot.last_message()["message_id"]
        await bot.press(menu_id, "quiz:start", expect="sendPoll")
        await bot.press(menu_id, "quiz:start", expect="sendMessage")
        assert len(fake_api.calls("sendPoll")) == 1
        assert bot.last_message()["text"] == ALREADY_RUNNING


async def test_double_tap_on_next_page_is_harmless(fake_api, database_url, content_bank, clock):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        fake_api.send_text(USER, "/start topic_cctv")
        await fake_api.await_for("sendMessage")
        page = bot.last_message()
        assert "1/" in page["text"]
        await bot.press(page["message_id"], "learn:cctv:1", expect="editMessageText")
        # The second tap was made on the old keyboard, before the edit reached the phone.
        await bot.press(page["message_id"], "learn:cctv:1", expect="editMessageText", strict=False)
        # The second edit was refused as "not modified"; the user saw no error.
        assert "2/" in bot.last_message()["text"]
        assert not any("went wrong" in str(r.params.get("text")) for r in fake_api.requests)


async def test_replayed_and_retracted_poll_answers_change_nothing(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        fake_api.send_text(USER, "/quiz cctv")
        await fake_api.await_for("sendPoll")
        first = fake_api.last_poll(USER)
        await bot.answer_current_poll(first.correct_option_id)
        sends = len(fake_api.calls("sendPoll")) + len(fake_api.calls("sendMessage"))
        fake_api.answer_poll(USER, first.poll_id, [first.correct_option_id])  # replayed
        fake_api.answer_poll(USER, first.poll_id, [])  # retracted
        unknown = {"poll_id": "999999", "option_ids": [0], "option_persistent_ids": ["0"]}
        fake_api.push_update({"poll_answer": {**unknown, "user": fake_api.add_user(USER)}})
        fake_api.send_text(USER, "/help")  # processed after the replays: they are done by then
        await fake_api.await_for("sendMessage", lambda r: "What I can do" in r.params["text"])
        after = len(fake_api.calls("sendPoll")) + len(fake_api.calls("sendMessage"))
        # Replay, retraction and a poll of no running quiz: nothing but the /help reply.
        assert after == sends + 1
        notes = [r.params["text"] for r in fake_api.calls("sendMessage")]
        assert LOST_TRACK not in notes


async def test_an_answer_to_a_lost_poll_gets_the_question_again(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        fake_api.send_text(USER, "/quiz cctv")
        await fake_api.await_for("sendPoll")
        first = fake_api.last_poll(USER)
        # Question 2's send fails after Telegram may have shown it: the bot keeps no record.
        fake_api.fail_next("sendPoll", error_code=502, count=1)
        fake_api.answer_poll(USER, first.poll_id, [first.correct_option_id])
        await fake_api.await_for("sendPoll", count=2)
        await bot.wait_until_quiet()
        polls_before = len([r for r in fake_api.calls("sendPoll") if r.ok])
        lost = {"poll_id": "424242", "option_ids": [0], "option_persistent_ids": ["0"]}
        fake_api.push_update({"poll_answer": {**lost, "user": fake_api.add_user(USER)}})
        await fake_api.await_for("sendMessage", lambda r: r.params["text"] == LOST_TRACK)
        await bot.wait_until_quiet()
        resent = [r for r in fake_api.calls("sendPoll") if r.ok]
        assert len(resent) == polls_before + 1
        assert resent[-1].params["question"].startswith("(2/5)")
        # The quiz goes on from the re-sent question.
        await bot.answer_current_poll(0)


async def test_deep_links_open_a_topic_or_a_quiz(fake_api, database_url, content_bank, clock):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        reply = await bot.say("/start topic_rights")
        assert content_bank.explainer_for("rights").title in reply.params["text"]
        share = bot.buttons(bot.last_message())["🔗 Share"]
        assert share == "https://t.me/PrivacyAwareTestBot?start=topic_rights"
        fake_api.send_text(USER, "/start quiz_borders")
        poll = (await fake_api.await_for("sendPoll"))[0]
        borders = {q.question for q in content_bank.questions_in("borders")}
        assert poll.params["question"].split(") ", 1)[1] in borders
        unknown = await bot.say("/start topic_atlantis")
        assert "doesn't" in unknown.params["text"] or "don't have" in unknown.params["text"]


@pytest.mark.parametrize("text", ["hello?", "/nonsense", "😀", "<b>not html</b> & stuff"])
async def test_anything_else_gets_a_pointer_to_help(
    fake_api, database_url, content_bank, clock, text
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        reply = await bot.say(text)
        assert reply.params["text"] == POINTER


async def test_unknown_quiz_topic_is_explained(fake_api, database_url, content_bank, clock):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        reply = await bot.say("/quiz <script>")
        assert "I don’t know that topic — try: CCTV everywhere" in reply.params["text"]
        assert "script" not in reply.params["text"]  # not echoed back, so nothing to escape
        assert fake_api.calls("sendPoll") == []


async def test_forget_deletes_progress(fake_api, database_url, content_bank, clock):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        fake_api.send_text(USER, "/quiz cctv")
        await fake_api.await_for("sendPoll")
        await bot.answer_current_poll(fake_api.last_poll(USER).correct_option_id)
        await bot.say("/forget")
        ask = bot.last_message()
        await bot.press(ask["message_id"], "forget:yes", expect="editMessageText")
        assert "I hold nothing about you" in bot.last_message()["text"]
        # A second tap from the old keyboard (sent before the edit arrived).
        await bot.press(ask["message_id"], "forget:yes", expect=None, strict=False)
        assert "Nothing to delete" in fake_api.calls("answerCallbackQuery")[-1].params["text"]
        progress = await bot.say("/progress")
        assert "getting started" in progress.params["text"]  # erased: a new user again


async def test_user_who_blocked_the_bot_is_marked_unreachable(
    fake_api, database_url, content_bank, clock
):

    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await bot.say("/start")
        fake_api.block_user(USER)
        fake_api.push_update(
            {
                "message": {
                    "message_id": 999,
                    "date": 0,
                    "chat": {"id": USER, "type": "private"},
                    "from": {"id": USER, "is_bot": False, "first_name": "Ann"},
                    "text": "/help",
                    "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
                }
            }
        )
        await fake_api.await_for("sendMessage", lambda r: r.status == 403)
        db = bot.services.database
        for _ in range(100):
            if not await db.run(lambda s: queries.is_reachable(s, USER)):
                break
            import asyncio

            await asyncio.sleep(0.02)
        assert await db.run(lambda s: queries.is_reachable(s, USER)) is False
        fake_api.unblock_user(USER)
        await bot.say("/start")
        assert await db.run(lambda s: queries.is_reachable(s, USER)) is True


async def test_a_failing_handler_answers_politely_and_logs_no_user_text(
    fake_api, database_url, content_bank, clock, monkeypatch, caplog
):
    from bot.telegram.handlers import errors, fallback

    async def broken(update, context):
        raise RuntimeError("internal failure")

    monkeypatch.setattr(fallback, "not_understood", broken)
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        reply = await bot.say("my secret address is 1 Main St")
    assert reply.params["text"] == errors.SORRY
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "RuntimeError" in logged
    assert "Main St" not in logged
    assert "Main St" not in caplog.text


async def test_groups_and_edited_messages_get_no_reply(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        user = fake_api.add_user(USER)
        group = {"id": -100123, "type": "supergroup", "title": "Neighbours"}
        command = [{"type": "bot_command", "offset": 0, "length": 5}]
        fake_api.push_update(
            {
                "message": {
                    "message_id": 50,
                    "date": 0,
                    "chat": group,
                    "from": user,
                    "text": "/quiz",
                    "entities": command,
                }
            }
        )
        private = {"id": USER, "type": "private", "first_name": "Ann"}
        fake_api.push_update(
            {
                "edited_message": {
                    "message_id": 51,
                    "date": 0,
                    "edit_date": 1,
                    "chat": private,
                    "from": user,
                    "text": "/quiz",
                    "entities": command,
                }
            }
        )
        reply = await bot.say("/help")  # handled after both: they are done by now
        assert "What I can do" in reply.params["text"]
        sends = [r for r in fake_api.requests if r.method in ("sendMessage", "sendPoll")]
        assert len(sends) == 1


async def test_stats_for_operators_only(fake_api, database_url, content_bank, clock):
    operator = 777
    async with running_bot(
        fake_api, database_url, content_bank, clock, admin_user_ids=(operator,)
    ) as bot:
        await bot.say("/start")
        assert (await bot.say("/stats")).params["text"] == POINTER
        report = (await bot.say("/stats", user_id=operator)).params["text"]
        assert "Users: <b>1</b>" in report  # the operator has not pressed /start
        assert f"{len(content_bank.questions)} questions" in report
