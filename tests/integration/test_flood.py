"""One user's flood through the real Application: others are answered first, one "slow down".

The fake answers the first replies late (as a distant Bot API would), so the flooding user's
accepted messages are still pending while the rest of the burst is fetched: how many are
handled is then fixed by the bound, not by a race between polling and handling.
"""

from __future__ import annotations

from bot.telegram.handlers.flood import SLOW_DOWN, SLOW_DOWN_BUTTON
from tests.fakes.bot_api import RecordedRequest
from tests.integration.button_answers import answers_to
from tests.integration.conftest import running_bot

FLOODER = 2001
OTHER = 2002
LIMIT = 20  # the USER_QUEUE_LIMIT default
SLOW_REPLY = 0.05


def replies_to(requests: list[RecordedRequest], chat_id: int) -> list[int]:
    """Positions in the request log of the bot's sendMessage calls to one chat."""
    return [
        i
        for i, r in enumerate(requests)
        if r.method == "sendMessage" and r.chat_id == chat_id and r.ok
    ]


async def test_a_flood_is_bounded_and_others_are_answered_first(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        fake_api.delay("sendMessage", SLOW_REPLY, count=LIMIT)
        for n in range(300):
            fake_api.send_text(FLOODER, f"forwarded message {n}")
        fake_api.send_text(OTHER, "/help")
        await fake_api.await_for("sendMessage", lambda r: r.chat_id == OTHER, timeout=10.0)
        await bot.wait_until_quiet()

        requests = fake_api.requests
        texts = [requests[i].params["text"] for i in replies_to(requests, FLOODER)]
        assert texts.count(SLOW_DOWN) == 1
        handled = [
            i for i in replies_to(requests, FLOODER) if requests[i].params["text"] != SLOW_DOWN
        ]
        assert len(handled) == LIMIT  # the other 280 were skipped, not answered one by one
        (help_reply,) = replies_to(requests, OTHER)
        # /help came last, yet only a few of the flooding user's replies went out before it.
        ahead = sum(1 for i in handled if i < help_reply)
        assert ahead < LIMIT // 2, f"{ahead} of the flood's replies went out before /help"


async def test_a_quiz_answer_in_a_flood_is_graded_and_a_skipped_tap_is_answered(
    fake_api, database_url, content_bank, clock
):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await bot.say("/start", user_id=FLOODER)
        menu = bot.last_message(FLOODER)
        fake_api.send_text(FLOODER, "/quiz")
        await fake_api.await_for("sendPoll", lambda r: r.chat_id == FLOODER)
        await bot.wait_until_quiet()
        poll = fake_api.last_poll(FLOODER)
        assert poll is not None
        polls_before = len(fake_api.calls("sendPoll"))

        fake_api.delay("sendMessage", SLOW_REPLY, count=LIMIT)
        for n in range(100):
            fake_api.send_text(FLOODER, f"forwarded message {n}")
        tap = fake_api.press_button(FLOODER, menu["message_id"], bot.buttons(menu)["💡 Tip"])
        fake_api.answer_poll(FLOODER, poll.poll_id, [0])
        await fake_api.await_for("sendPoll", count=polls_before + 1, timeout=10.0)
        await bot.wait_until_quiet()

        assert answers_to(fake_api, tap) == [SLOW_DOWN_BUTTON]
        assert fake_api.unanswered_callback_queries() == []
        notices = [r for r in fake_api.calls("sendMessage") if r.params["text"] == SLOW_DOWN]
        assert len(notices) == 1
