"""Lean sends (`Bot.do_api_request`) and daily tips go through the bot's rate limiter.

An `ExtBot` with `ChatRateLimiter` on virtual time, over a request object that answers every
call at once and notes when it was made: if lean sends bypassed the limiter, all of them would
go at the same instant.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from telegram.ext import ExtBot
from telegram.request import BaseRequest, RequestData

from bot.core.content import Tip
from bot.core.delivery import SendStatus
from bot.telegram import lean_send
from bot.telegram.delivery_job import TelegramTipSender
from bot.telegram.rate_limiter import ChatRateLimiter
from tests.unit.virtual_time import VirtualTime

MESSAGE = {"message_id": 5, "date": 0, "chat": {"id": 1, "type": "private"}}
POLL = {**MESSAGE, "poll": {"id": "p"}}  # lean sends read the raw JSON: the poll id is enough


class InstantRequest(BaseRequest):
    """Answers every call at once with a canned message; records (time, method, parameters)."""

    def __init__(self, clock: VirtualTime) -> None:
        self.clock = clock
        self.calls: list[tuple[float, str, dict[str, Any]]] = []

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        parameters = request_data.parameters if request_data else {}
        endpoint = url.rsplit("/", 1)[-1]
        self.calls.append((self.clock.now, endpoint, parameters))
        result = POLL if endpoint == "sendPoll" else MESSAGE
        return 200, json.dumps({"ok": True, "result": result}).encode()


def bot_on(clock: VirtualTime, rate: float, bulk_rate: float = 25) -> tuple[ExtBot[Any], Any]:
    limiter = ChatRateLimiter(rate, bulk_rate, monotonic=clock.monotonic, sleep=clock.sleep)
    request = InstantRequest(clock)
    bot = ExtBot("123:abc", request=request, get_updates_request=request, rate_limiter=limiter)
    return bot, request


async def test_lean_sends_wait_for_the_budget() -> None:
    clock = VirtualTime()
    async with clock.running():
        bot, request = bot_on(clock, rate=2)
        await lean_send.send_text(bot, 1, "one")
        await lean_send.send_text(bot, 2, "two")
        poll = await lean_send.send_quiz_poll(bot, 3, "Q?", ["a", "b"], 0, "because")
        await bot.shutdown()
    assert poll == "p"
    assert [(t, method) for t, method, _ in request.calls] == [
        (0.0, "sendMessage"),
        (pytest.approx(0.5), "sendMessage"),
        (pytest.approx(1.0), "sendPoll"),
    ]


async def test_daily_tips_go_as_bulk_and_paid_broadcast_when_configured() -> None:
    clock = VirtualTime()
    tip = Tip("tip-1", "cctv", "A tip", "Do <b>this</b>.", (), ())
    async with clock.running():
        bot, request = bot_on(clock, rate=30, bulk_rate=5)
        paid = TelegramTipSender(bot, paid_broadcast=True)
        plain = TelegramTipSender(bot)
        outcomes = [await plain.send_tip(1, tip), await paid.send_tip(2, tip)]
        outcomes += [await plain.send_tip(3, tip)]
        await bot.shutdown()
    assert [o.status for o in outcomes] == [SendStatus.SENT] * 3
    times = [t for t, _, _ in request.calls]
    assert times == [0.0, pytest.approx(0.2), pytest.approx(0.4)]  # the bulk cap, 5/s
    assert [p.get("allow_paid_broadcast") for _, _, p in request.calls] == [None, True, None]
