"""Which failed sends may be retried: only those that provably never reached Telegram."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from telegram.error import NetworkError, TimedOut

from bot.core.content import Tip
from bot.core.delivery import SendStatus
from bot.telegram.delivery_job import TelegramTipSender

TIP = Tip("tip-1", "cctv", "A tip", "Do <b>this</b>.", (), ())


class FailingBot:
    def __init__(self, error: Exception) -> None:
        self.error = error

    async def send_message(self, *args: Any, **kwargs: Any) -> Any:
        raise self.error


def wrapped(outer: Exception, cause: Exception | None) -> Exception:
    outer.__cause__ = cause
    return outer


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (
            wrapped(NetworkError("httpx.ConnectError"), httpx.ConnectError("refused")),
            SendStatus.NETWORK_ERROR,
        ),
        (
            wrapped(TimedOut("Pool timeout"), httpx.PoolTimeout("pool full")),
            SendStatus.NETWORK_ERROR,
        ),
        (wrapped(TimedOut(), httpx.ConnectTimeout("connect")), SendStatus.NETWORK_ERROR),
        (wrapped(TimedOut(), httpx.ReadTimeout("read")), SendStatus.TIMED_OUT),
        (wrapped(NetworkError("httpx.ReadError"), httpx.ReadError("reset")), SendStatus.TIMED_OUT),
        (NetworkError("Bad Gateway"), SendStatus.TIMED_OUT),
    ],
)
async def test_only_never_sent_requests_count_as_retryable(error: Exception, status) -> None:
    sender = TelegramTipSender(FailingBot(error))  # type: ignore[arg-type]
    assert (await sender.send_tip(1, TIP)).status is status
