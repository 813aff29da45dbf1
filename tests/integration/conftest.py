"""Run the real Application in-process, long-polling the fake Bot API over loopback HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.app import AnyApplication, build_application
from bot.config import load_settings
from bot.core.content import ContentBank
from bot.storage import migrate
from bot.storage.database import Database
from bot.telegram.services import Services
from tests.fakes.bot_api import FakeBotAPI, RecordedRequest

TOKEN = "123456:TEST-token-for-the-fake-api"
USER = 1001


class FakeClock:
    """A settable "now" for the bot, so tests can jump a day ahead for reviews and streaks."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass
class BotHarness:
    api: FakeBotAPI
    app: AnyApplication
    services: Services
    clock: FakeClock

    async def say(self, text: str, user_id: int = USER) -> RecordedRequest:
        """The user sends `text`; returns the bot's next message to them."""
        before = sum(1 for r in self.api.calls("sendMessage") if r.chat_id == user_id)
        self.api.send_text(user_id, text)
        reply = (await self.api.await_for("sendMessage", self._to(user_id), count=before + 1))[-1]
        await self.wait_until_quiet()
        assert reply.ok, f"Telegram refused the reply to {text!r}: {reply}"
        return reply

    async def press(
        self,
        message_id: int,
        data: str,
        expect: str | None = "sendMessage",
        user_id: int = USER,
        strict: bool = True,
    ) -> str:
        """Press a button; wait for the callback answer and for one more `expect` request."""
        before = len(self.api.calls(expect)) if expect else 0
        query_id = self.api.press_button(user_id, message_id, data, strict=strict)
        await self.api.await_for(
            "answerCallbackQuery", lambda r: r.params["callback_query_id"] == query_id
        )
        if expect:
            await self.api.await_for(expect, count=before + 1)
        await self.wait_until_quiet()
        return query_id

    async def answer_current_poll(self, option: int, user_id: int = USER) -> None:
        """Vote in the latest quiz poll, then wait until the bot has reacted to the vote."""
        poll = self.api.last_poll(user_id)
        assert poll is not None
        before = self._sends(user_id)
        self.api.answer_poll(user_id, poll.poll_id, [option])
        await self.wait_for_sends(user_id, before + 1)
        await self.wait_until_quiet()

    async def wait_until_quiet(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until the bot has finished: every update fetched and handled, no call pending.

        Quiet must hold over a few consecutive looks, because an update moves from the fake's
        queue to PTB's queue to the processor with awaits in between.
        """
        processor = self.app.update_processor
        calm = 0
        for _ in range(int(timeout / 0.01)):
            idle = (
                not self.api.stats()["pending_updates"]
                and self.app.update_queue.empty()
                and processor.current_concurrent_updates == 0
                and self.api.requests_in_flight == 0
            )
            calm = calm + 1 if idle else 0
            if calm >= 5:
                return
            await asyncio.sleep(0.01)
        raise AssertionError(f"the bot did not finish within {timeout}s: {self.api.requests}")

    async def wait_for_sends(self, user_id: int, count: int) -> None:
        """Wait until the bot has sent `count` messages or polls to the user in all."""
        for _ in range(500):
            if self._sends(user_id) >= count:
                return
            await asyncio.sleep(0.01)
        raise AssertionError(f"expected {count} sends to {user_id}: {self.api.requests}")

    def _sends(self, user_id: int) -> int:
        return sum(
            1
            for r in self.api.requests
            if r.method in ("sendMessage", "sendPoll") and r.chat_id == user_id and r.ok
        )

    def last_message(self, user_id: int = USER) -> dict[str, Any]:
        """The newest message the bot shows in the chat (after any edits)."""
        bot_messages = [m for m in self.api.messages(user_id) if m["from"]["is_bot"]]
        return bot_messages[-1]

    def buttons(self, message: dict[str, Any]) -> dict[str, str]:
        """Button text -> callback data (or URL) of a message's inline keyboard."""
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        return {b["text"]: b.get("callback_data") or b.get("url") for row in rows for b in row}

    def _to(self, user_id: int) -> Any:
        return lambda r: r.chat_id == user_id


@pytest.fixture
def fake_api() -> Iterator[FakeBotAPI]:
    with FakeBotAPI() as api:
        yield api


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))


@asynccontextmanager
async def running_bot(
    api: FakeBotAPI,
    database_url: str,
    content: ContentBank,
    clock: FakeClock,
    **settings: Any,
) -> AsyncIterator[BotHarness]:
    """Start the bot exactly as `python -m bot run` does, but inside the test's event loop."""
    migrate.upgrade(database_url)
    config = load_settings(
        telegram_bot_token=TOKEN,
        telegram_api_base_url=api.base_url,
        telegram_api_base_file_url=api.base_file_url,
        database_url=database_url,
        **settings,
    )
    database = Database(database_url)
    services = Services(config, content, database, clock=clock)
    app = build_application(services)
    try:
        await app.initialize()
        assert app.post_init is not None
        await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        yield BotHarness(api, app, services, clock)
    finally:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        database.close()
