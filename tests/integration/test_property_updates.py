"""Property-based: generated updates thrown at the real Application over the fake Bot API.

Hypothesis generates batches of user actions (random Unicode text and commands, random and
oversized callback data pressed on any bot message, edited messages, channel posts, group
messages, unknown update kinds, votes in unknown polls, unreadable updates). One bot runs for the
whole test; every batch is replayed through it, then the properties are checked over everything:

- nothing reached the error handler, and no user was told "something went wrong";
- every callback query was answered exactly once;
- Telegram (the fake, which validates like Telegram) accepted every request the bot made;
- the database is consistent (SQLite integrity and foreign-key checks).

Batches are collected first and replayed after, because the bot runs on the test's event loop
and a Hypothesis example cannot await; shrinking is given up for one bot per test.
"""

from __future__ import annotations

import functools
import io
import logging
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tests.integration.conftest as harness_module
from bot.app import build_application
from bot.logging_setup import log_handler
from bot.telegram.handlers.errors import SORRY
from tests.integration.button_answers import answers_to
from tests.integration.conftest import BotHarness, running_bot

USERS = (3001, 3002, 3003, 3004)
EXAMPLES = 400
COMMANDS = (
    "/start", "/help", "/learn", "/topics", "/quiz", "/review", "/progress", "/tip",
    "/subscribe", "/unsubscribe", "/settings", "/forget", "/stats", "/start quiz_cctv",
    "/subscribe 07:30 Europe/Berlin", "/subscribe 25:99 localtime", "/nosuch",
)  # fmt: skip
KNOWN_DATA = (
    "menu:learn", "learn:cctv", "learn:cctv:1", "learn:cctv:999", "src:cctv", "quiz:start:cctv",
    "quiz:start:nosuch", "tip:next", "sub:time:0730", "sub:zone:Factory", "forget:yes",
)  # fmt: skip
TRICKY = "\u202e\u200b\u200d\ufeff🔒👩‍👩‍👧‍👦\u0644\u0627<b>&amp;</b>"
unicode_text = st.text(st.characters(codec="utf-8"), max_size=60) | st.sampled_from(
    [TRICKY, "🔒" * 2048, "a" * 4096, "\u200b" * 4096, " ", "/", "//", "/start@OtherBot"]
)
callback_data = (
    st.sampled_from(KNOWN_DATA)
    | st.text(max_size=64)
    | st.binary(max_size=200).map(lambda b: b.decode("latin-1"))  # oversized, any bytes
)


# Weighted by repetition: people mostly type and press buttons.
KINDS = (
    "text", "text", "command", "command", "press", "press", "press", "edited",
    "channel", "group", "unknown", "vote", "unreadable",
)  # fmt: skip


# Weighted by repetition: people mostly type and press buttons.
KINDS = (
    "text", "text", "command", "command", "press", "press", "press", "edited",
    "channel", "group", "unknown", "vote", "unreadable",
)  # fmt: skip


@dataclass(frozen=True)
class Action:
    kind: str
    user: int
    text: str = ""
    pick: int = 0  # which of the user's bot messages a button is pressed on


actions = st.builds(
    Action,
    kind=st.sampled_from(KINDS),
    user=st.sampled_from(USERS),
    text=unicode_text | st.sampled_from(COMMANDS) | callback_data,
    pick=st.integers(0, 50),
)


def collect_batches() -> list[list[Action]]:
    """Let Hypothesis generate the batches (its example choices, edge cases included)."""
    batches: list[list[Action]] = []

    @settings(
        max_examples=EXAMPLES,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.lists(actions, min_size=1, max_size=12))
    def record(batch: list[Action]) -> None:
        batches.append(batch)

    record()
    return batches


@pytest.fixture
def bot_log() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = log_handler("INFO", stream=stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


@pytest.fixture
def unthrottled(monkeypatch: pytest.MonkeyPatch) -> None:
    """The client-side ~30 requests/s limit would make thousands of updates take minutes."""
    monkeypatch.setattr(
        harness_module,
        "build_application",
        functools.partial(build_application, rate_limited=False),
    )


def raw_message(user: int, text: str, chat: dict[str, Any], message_id: int) -> dict[str, Any]:
    return {
        "message_id": message_id,
        "from": {"id": user, "is_bot": False, "first_name": "Prop"},
        "chat": chat,
        "date": 1_770_000_000,
        "text": text or ".",
    }


def throw(bot: BotHarness, action: Action, pressed: list[str]) -> None:
    """Turn one generated action into one update in the fake Bot API's queue."""
    api, user = bot.api, action.user
    private = {"id": user, "type": "private", "first_name": "Prop"}
    if action.kind in ("text", "command"):
        api.send_text(user, action.text or "/start", first_name="Prop")
    elif action.kind == "press":
        mine = [m["message_id"] for m in api.messages(user) if m["from"]["is_bot"]]
        if not mine:
            api.send_text(user, "/start", first_name="Prop")
            return
        message_id = mine[action.pick % len(mine)]
        pressed.append(api.press_button(user, message_id, action.text, strict=False))
    elif action.kind == "edited":
        api.push_update({"edited_message": raw_message(user, action.text, private, 1)})
    elif action.kind == "channel":
        channel = {"id": -1001234567890, "type": "channel", "title": "News"}
        post = raw_message(user, action.text, channel, action.pick + 1)
        del post["from"]
        api.push_update({"channel_post": post})
    elif action.kind == "group":
        group = {"id": -4000 - user, "type": "group", "title": "Friends"}
        api.push_update({"message": raw_message(user, action.text or "/start", group, 1)})
    elif action.kind == "unknown":
        api.push_update({"update_kind_from_the_future": {"text": action.text}})
    elif action.kind == "vote":
        api.push_update(
            {
                "poll_answer": {
                    "poll_id": f"unknown-{action.pick}",
                    "user": {"id": user, "is_bot": False, "first_name": "Prop"},
                    "option_ids": [action.pick % 4],
                }
            }
        )
    else:  # unreadable: a message without chat or date
        api.push_update({"message": {"message_id": 1, "text": action.text}})


def double_tap(api: Any, request: Any) -> bool:
    """An edit to what the message already shows: Telegram says "not modified", the bot shrugs."""
    if request.method != "editMessageText":
        return False
    if "message is not modified" in request.description:
        return True
    shown = {m["message_id"]: m for m in api.messages(request.chat_id)}.get(
        request.params.get("message_id"), {}
    )
    return bool(shown) and html_free(str(request.params.get("text"))) == shown.get("text")


def html_free(text: str) -> str:
    return (
        re.sub(r"<[^>]+>", "", text)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )


def database_problems(path: Path) -> list[Any]:
    with sqlite3.connect(path) as connection:
        integrity = connection.execute("PRAGMA integrity_check").fetchall()
        orphans = connection.execute("PRAGMA foreign_key_check").fetchall()
    return ([] if integrity == [("ok",)] else integrity) + orphans


async def test_generated_updates_keep_every_property(
    fake_api, content_bank, clock, tmp_path, bot_log, unthrottled
) -> None:
    batches = collect_batches()
    path = tmp_path / "property.sqlite3"
    for user in USERS:
        fake_api.add_user(user, "Prop")
    pressed: list[str] = []
    async with running_bot(fake_api, f"sqlite:///{path}", content_bank, clock) as bot:
        for batch in batches:
            for action in batch:
                throw(bot, action, pressed)
            await bot.wait_until_quiet(timeout=30)
    thrown = sum(len(batch) for batch in batches)
    print(f"threw {thrown} updates in {len(batches)} batches, {len(pressed)} button presses")

    log = bot_log.getvalue()
    assert "error while handling update" not in log, log[-3000:]
    assert not [r for r in fake_api.calls("sendMessage") if r.params.get("text") == SORRY]
    assert not [q for q in pressed if len(answers_to(fake_api, q)) != 1]
    refused = [r for r in fake_api.requests if not r.ok and not double_tap(fake_api, r)]
    assert not refused, [
        (r.method, r.params.get("message_id"), r.description) for r in refused[:5]
    ]
    assert database_problems(path) == []
