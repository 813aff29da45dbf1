"""The fake Bot API must answer like Telegram, or tests built on it prove nothing.

Every test drives the real PTB client over loopback HTTP, so it also pins down how PTB 22.8
encodes requests and which exception each Telegram answer turns into.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import io
import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import Application, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from tests.fakes import validation
from tests.fakes.bot_api import FakeBotAPI, FakeBotAPIControl

TOKEN = "123456:TEST-token"
USER = 42
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def api() -> Iterator[FakeBotAPI]:
    with FakeBotAPI() as fake:
        fake.add_user(USER)
        yield fake


@pytest.fixture
async def bot(api: FakeBotAPI) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=api.base_url) as client:
        yield client


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d) for d in data]])


async def bad_request(call: Any, expected: str) -> None:
    """PTB strips "Bad Request: " and capitalize()s the rest, so compare case-insensitively."""
    with pytest.raises(BadRequest) as caught:
        await call
    assert expected.lower() in caught.value.message.lower(), caught.value.message


# ------------------------------------------------------------------------------ basics


async def test_get_me_describes_the_test_bot(bot: Bot, api: FakeBotAPI) -> None:
    assert bot.username == "PrivacyAwareTestBot"
    assert bot.bot.can_join_groups is True
    assert [r.method for r in api.calls("getme")] == ["getMe"]


async def test_unknown_method_is_404(bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")


async def test_method_names_are_case_insensitive_and_json_bodies_work(api: FakeBotAPI) -> None:
    body = {"chat_id": USER, "text": "hi", "reply_markup": json.dumps(keyboard("a").to_dict())}
    request = urllib.request.Request(
        f"{api.base_url}{TOKEN}/SENDMESSAGE",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with await asyncio.to_thread(urllib.request.urlopen, request) as response:
        result = json.loads(response.read())["result"]
    assert result["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "a"
    assert api.calls("sendMessage")[0].params["reply_markup"]["inline_keyboard"]


async def test_send_message_parses_html_and_keeps_per_chat_ids(bot: Bot, api: FakeBotAPI) -> None:
    first = await bot.send_message(USER, "<b>Hi</b> &amp; 🔒 <i>x</i>", parse_mode="HTML")
    second = await bot.send_message(USER, "again", reply_markup=keyboard("go"))
    assert first.text == "Hi & 🔒 x"
    assert [(e.type, e.offset, e.length) for e in first.entities] == [
        ("bold", 0, 2),
        ("italic", 8, 1),  # the emoji counts as two UTF-16 units
    ]
    assert second.message_id == first.message_id + 1
    assert second.reply_markup == keyboard("go")
    assert api.calls("sendMessage")[1].chat_id == USER


async def test_send_document_uploads_multipart(bot: Bot, api: FakeBotAPI) -> None:
    message = await bot.send_document(
        USER, io.BytesIO(b"report"), filename="r.txt", caption="<b>c</b>", parse_mode="HTML"
    )
    assert message.document is not None
    assert message.document.file_name == "r.txt"
    assert message.document.file_size == 6
    assert message.caption == "c"
    assert api.calls("sendDocument")[0].files == {"document": ("r.txt", 6)}
    await bad_request(
        bot.send_document(USER, "file-id", caption="x" * 1025), "caption is too long"
    )


async def test_uploaded_bytes_are_kept_and_oversized_files_refused(
    bot: Bot, api: FakeBotAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    message = await bot.send_document(USER, b'{"a": 1}', filename="my-data.json")
    assert message.document is not None
    assert api.uploaded(message.document.file_id) == b'{"a": 1}'
    monkeypatch.setattr(validation, "MAX_UPLOAD_BYTES", 8)  # Telegram's is 50 MB
    with pytest.raises(TelegramError, match="Request Entity Too Large"):
        await bot.send_document(USER, b"123456789", filename="big.bin")


async def test_chat_must_have_written_to_the_bot(bot: Bot) -> None:
    await bad_request(bot.send_message(999, "hello"), "chat not found")


# -------------------------------------------------------------------------- text limits


async def test_text_limit_counts_utf16_units(bot: Bot) -> None:
    await bot.send_message(USER, "🔒" * 2048)  # 4096 UTF-16 units, 2048 code points
    await bad_request(bot.send_message(USER, "🔒" * 2048 + "a"), "message is too long")


async def test_text_limit_applies_after_entity_parsing(bot: Bot) -> None:
    await bot.send_message(USER, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    await bad_request(bot.send_message(USER, "<b> </b>", parse_mode="HTML"), "text is empty")


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("line one<br>line two", 'unsupported start tag "br" at byte offset 8'),
        ("<b>bold", 'can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'expected "</i>", found "</b>"'),
        ("Tom & Jerry", 'character "&" must be escaped'),
        ("a&nbsp;b", 'unsupported html entity "&nbsp;"'),
        ("<span>x</span>", 'tag "span" must have class "tg-spoiler"'),
        ("é<p>x</p>", 'unsupported start tag "p" at byte offset 2'),
    ],
)
async def test_html_errors_are_rejected_like_telegram(bot: Bot, html: str, reason: str) -> None:
    await bad_request(bot.send_message(USER, html, parse_mode="HTML"), reason)


async def test_all_telegram_tags_are_accepted(bot: Bot) -> None:
    html = (
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><del>d</del>"
        '<span class="tg-spoiler">x</span><tg-spoiler>y</tg-spoiler><a href="https://e.org">l</a>'
        '<code>c</code><pre><code class="language-python">p</code></pre><blockquote>q</blockquote>'
        "<blockquote expandable>z</blockquote> &lt;&gt;&quot;&#33;&#x21;"
    )
    message = await bot.send_message(USER, html, parse_mode="HTML")
    assert message.text is not None
    assert message.text.endswith('<>"!!')
    pre = [e for e in message.entities if e.type == "pre"]
    assert pre[0].language == "python"
    assert "expandable_blockquote" in {e.type for e in message.entities}


# ---------------------------------------------------------------------------- keyboards


async def test_callback_data_is_limited_to_64_bytes(bot: Bot) -> None:
    await bot.send_message(USER, "ok", reply_markup=keyboard("é" * 32))  # 64 bytes
    await bad_request(
        bot.send_message(USER, "no", reply_markup=keyboard("é" * 32 + "a")),  # 33 chars, 65 B
        "BUTTON_DATA_INVALID",
    )


async def test_keyboard_shape_and_urls_are_validated(bot: Bot) -> None:
    bad_url = InlineKeyboardMarkup([[InlineKeyboardButton("x", url="javascript:alert(1)")]])
    await bad_request(bot.send_message(USER, "x", reply_markup=bad_url), "BUTTON_URL_INVALID")
    wide = keyboard(*(str(i) for i in range(9)))
    await bad_request(bot.send_message(USER, "x", reply_markup=wide), "too many buttons")


# ---------------------------------------------------------------------------------- polls


async def test_quiz_poll_round_trip(bot: Bot, api: FakeBotAPI) -> None:
    message = await bot.send_poll(
        USER,
        "Which is end-to-end encrypted?",
        ["SMS", "Signal"],
        type="quiz",
        correct_option_ids=[1],
        is_anonymous=False,
        explanation="Signal <b>encrypts</b>\nend to end.",
        explanation_parse_mode="HTML",
    )
    poll = message.poll
    assert poll is not None
    assert poll.correct_option_ids == (1,)
    assert poll.explanation == "Signal encrypts\nend to end."
    record = api.last_poll(USER)
    assert record is not None
    assert (record.poll_id, record.correct_option_id, record.type) == (poll.id, 1, "quiz")
    api.answer_poll(USER, poll.id, [1])
    stopped = await bot.stop_poll(USER, message.message_id)
    assert stopped.is_closed
    assert stopped.options[1].voter_count == 1


async def test_anonymous_polls_never_produce_poll_answers(bot: Bot, api: FakeBotAPI) -> None:
    message = await bot.send_poll(USER, "Q?", ["a", "b"])
    assert message.poll is not None
    with pytest.raises(ValueError, match="anonymous"):
        api.answer_poll(USER, message.poll.id, [0])


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"options": [str(i) for i in range(11)]}, "more than 10 options"),
        ({"options": ["only"]}, "at least 2"),
        ({"options": ["same", "same"]}, "must be unique"),
        ({"explanation": "1\n2\n3\n4"}, "2 line feeds"),
        ({"explanation": "x" * 201}, "200"),
        ({"correct_option_ids": [5]}, "QUIZ_CORRECT_ANSWER_INVALID"),
        ({"open_period": 601}, "OPEN_PERIOD"),
        ({"question": "q" * 301}, "must not exceed 300"),
    ],
)
async def test_quiz_limits(bot: Bot, kwargs: dict[str, Any], reason: str) -> None:
    arguments: dict[str, Any] = {
        "question": "Q?",
        "options": ["a", "b", "c"],
        "type": "quiz",
        "correct_option_ids": [0],
        **kwargs,
    }
    question = arguments.pop("question")
    options = arguments.pop("options")
    await bad_request(bot.send_poll(USER, question, options, **arguments), reason)


# ----------------------------------------------------------------------- callback queries


async def test_callback_queries_must_be_issued_and_answered_once(
    bot: Bot, api: FakeBotAPI
) -> None:
    message = await bot.send_message(USER, "pick", reply_markup=keyboard("yes", "no"))
    query_id = api.press_button(USER, message.message_id, "yes")
    assert api.unanswered_callback_queries() == [query_id]
    await bad_request(bot.answer_callback_query("123"), "query id is invalid")
    await bad_request(bot.answer_callback_query(query_id, text="x" * 201), "MESSAGE_TOO_LONG")
    assert await bot.answer_callback_query(query_id, text="Saved")
    assert api.unanswered_callback_queries() == []
    await bad_request(bot.answer_callback_query(query_id), "query is too old")
    with pytest.raises(ValueError, match="no button"):
        api.press_button(USER, message.message_id, "maybe")


async def test_edit_message_text_rules(bot: Bot, api: FakeBotAPI) -> None:
    message = await bot.send_message(USER, "v1", reply_markup=keyboard("a"))
    await bad_request(
        bot.edit_message_text("v1", USER, message.message_id, reply_markup=keyboard("a")),
        "message is not modified",
    )
    edited = await bot.edit_message_text("v2", USER, message.message_id)
    assert isinstance(edited, Message)
    assert edited.text == "v2"
    assert edited.reply_markup is None  # omitting reply_markup removes the keyboard
    await bad_request(bot.edit_message_text("x", USER, 9999), "message to edit not found")
    await bad_request(
        bot.edit_message_reply_markup(USER, message.message_id), "message is not modified"
    )
    assert api.messages(USER)[-1]["text"] == "v2"


# ------------------------------------------------------------------------------ updates


async def test_long_polling_returns_pushed_updates_and_honours_offset(
    bot: Bot, api: FakeBotAPI
) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await api.await_for("getUpdates")
    update_id = api.send_text(USER, "/start abc")
    updates = await poll
    assert time.monotonic() - started < 2.0
    assert [u.update_id for u in updates] == [update_id]
    message = updates[0].message
    assert message is not None
    assert message.text == "/start abc"
    assert [(e.type, e.offset, e.length) for e in message.entities] == [("bot_command", 0, 6)]
    again = await bot.get_updates(offset=update_id)
    assert [u.update_id for u in again] == [update_id]  # not confirmed yet
    assert await bot.get_updates(offset=update_id + 1) == ()
    assert api.pending_updates() == []


async def test_get_updates_without_updates_waits_for_timeout(bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 <= time.monotonic() - started < 3.0


async def test_allowed_updates_filters_update_types(bot: Bot, api: FakeBotAPI) -> None:
    api.send_text(USER, "hello")
    api.set_member_status(USER, "kicked")
    updates = await bot.get_updates(allowed_updates=["my_chat_member"])
    assert [u.to_dict()["my_chat_member"]["new_chat_member"]["status"] for u in updates] == [
        "kicked"
    ]


async def test_second_poller_terminates_the_first(bot: Bot, api: FakeBotAPI) -> None:
    # A second Bot, like a second process: PTB's own getUpdates pool has one connection.
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await api.await_for("getUpdates")
    async with Bot(TOKEN, base_url=api.base_url) as other:
        started = time.monotonic()
        assert await other.get_updates(timeout=0) == ()
        with pytest.raises(Conflict, match="terminated by other getUpdates"):
            await first
        assert time.monotonic() - started < 2.0


async def test_application_polls_and_replies(api: FakeBotAPI) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("Welcome!")

    app = Application.builder().token(TOKEN).base_url(api.base_url).build()
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        api.send_text(7, "/start")
        [reply] = await api.await_for("sendMessage", lambda r: r.chat_id == 7)
        assert reply.params["text"] == "Welcome!"
        await app.updater.stop()
        await app.stop()


# ------------------------------------------------------------------------ failure modes


async def test_injected_429_raises_retry_after_and_is_not_delivered(
    bot: Bot, api: FakeBotAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # else reading retry_after warns
    api.fail_next("sendMessage", error_code=429, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER, "first")
    assert caught.value.retry_after == dtm.timedelta(seconds=3)
    assert api.messages(USER) == []
    await bot.send_message(USER, "second")
    assert [r.status for r in api.calls("sendMessage")] == [429, 200]


async def test_injected_500_is_a_network_error(bot: Bot, api: FakeBotAPI) -> None:
    api.fail_next("sendMessage", error_code=500)
    with pytest.raises(Exception, match="Internal Server Error") as caught:
        await bot.send_message(USER, "x")
    assert type(caught.value).__name__ == "NetworkError"


async def test_blocked_user_gives_forbidden(bot: Bot, api: FakeBotAPI) -> None:
    api.block_user(USER)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER, "x")
    api.unblock_user(USER)
    await bot.send_message(USER, "x")
    api.set_member_status(USER, "kicked")
    with pytest.raises(Forbidden):
        await bot.send_chat_action(USER, "typing")


async def test_delayed_answer_times_out_but_message_was_delivered(api: FakeBotAPI) -> None:
    api.delay("sendMessage", 2.0)
    request = HTTPXRequest(read_timeout=0.3)
    async with Bot(TOKEN, base_url=api.base_url, request=request) as client:
        with pytest.raises(TimedOut):
            await client.send_message(USER, "slow")
    assert [m["text"] for m in api.messages(USER)] == ["slow"]


async def test_rate_cap_answers_429_when_exceeded(
    bot: Bot, api: FakeBotAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    api.rate_cap(5, burst=5)
    for i in range(5):
        await bot.send_message(USER, str(i))
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER, "over")
    assert caught.value.retry_after == dtm.timedelta(seconds=1)
    assert api.stats()["sends"] == 5
    assert api.stats()["rate_limited"] == 1


async def test_wait_for_reports_what_was_recorded(bot: Bot, api: FakeBotAPI) -> None:
    await bot.send_message(USER, "x")
    with pytest.raises(AssertionError, match="sendMessage"):
        api.wait_for("sendMessage", lambda r: r.params["text"] == "y", timeout=0.1)


async def test_bot_settings_are_validated(bot: Bot) -> None:
    await bot.set_my_commands([("start", "Begin"), ("tip", "Get a tip")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "tip"]
    await bad_request(bot.set_my_commands([("Start", "Begin")]), "BOT_COMMAND_INVALID")
    await bot.set_my_short_description("x" * 120)
    await bad_request(bot.set_my_short_description("x" * 121), "too long")
    await bad_request(bot.set_my_description("x" * 513), "too long")


# ---------------------------------------------------------------------------- standalone


def test_standalone_server_is_driven_through_the_control_api() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.bot_api", "--port", "0", "--rate-cap", "30"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready = process.stdout.readline().split()
        assert ready[0] == "READY"
        control = FakeBotAPIControl(ready[1])
        control.add_user(5)
        update_id = control.send_text(5, "/start")
        with urllib.request.urlopen(f"{ready[1]}{TOKEN}/getUpdates") as response:
            updates = json.loads(response.read())["result"]
        assert [u["update_id"] for u in updates] == [update_id]
        stats = control.stats()
        assert stats["counts"] == {"getUpdates": 1}
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0
        if process.stdout is not None:
            process.stdout.close()
