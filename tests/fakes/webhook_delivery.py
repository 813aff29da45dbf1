"""Webhook delivery, Telegram's side: POST each pending update to the bot, retry until 2xx.

Once the bot called setWebhook, getUpdates answers 409 and updates are pushed instead: one at a
time, oldest first, with the ``X-Telegram-Bot-Api-Secret-Token`` header when a secret was set.
An update leaves the queue only when the bot answers 2xx; anything else (403, 400, 5xx, a
refused connection, a timeout) is retried after a pause, as Telegram does.

Tests have no TLS, so the https URL the bot registers is mapped to a loopback http URL with
:meth:`tests.fakes.bot_api.FakeBotAPI.redirect_webhook`. An https URL without a mapping is
unreachable, like a host that does not exist.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

import aiohttp

if TYPE_CHECKING:
    from tests.fakes.bot_api import FakeBotAPI
    from tests.fakes.server import ServerThread
    from tests.fakes.state import JSONDict

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
RETRY_DELAY = 0.05  # seconds; Telegram waits longer, tests should not
POST_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class Delivery:
    """One update on its way: where to, with which secret."""

    update: JSONDict
    target: str | None  # None: the registered URL is not reachable from here
    secret: str


@dataclass(frozen=True, slots=True)
class DeliveryAttempt:
    """One POST made (or tried): the HTTP status, or None when no answer came."""

    update_id: int
    url: str
    status: int | None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class WebhookPusher:
    """The delivery loop, run as a task on the fake server's event loop."""

    def __init__(self, api: FakeBotAPI, server: ServerThread) -> None:
        self.api = api
        self.server = server
        self.wakeup = asyncio.Event()

    def wake(self) -> None:
        """Called on the server loop when an update is queued or the webhook changes."""
        self.wakeup.set()

    async def run(self) -> None:
        timeout = aiohttp.ClientTimeout(total=POST_TIMEOUT)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while not self.server.closing:
                self.wakeup.clear()  # before looking, so a wake-up during the look counts
                delivery = self.api.next_webhook_delivery()
                if delivery is None:
                    await self._idle()
                    continue
                status = await self._post(session, delivery)
                attempt = DeliveryAttempt(
                    int(delivery.update["update_id"]), delivery.target or "", status
                )
                self.api.record_webhook_attempt(attempt)
                if not attempt.ok:
                    await self.server.sleep(RETRY_DELAY)

    async def _idle(self) -> None:
        # A periodic look as well, in case a change arrives without a wake-up.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.wakeup.wait(), 0.5)

    async def _post(self, session: aiohttp.ClientSession, delivery: Delivery) -> int | None:
        if delivery.target is None:
            return None
        headers = {"Content-Type": "application/json"}
        if delivery.secret:
            headers[SECRET_HEADER] = delivery.secret
        try:
            async with session.post(
                delivery.target, data=json.dumps(delivery.update), headers=headers
            ) as response:
                await response.read()
                return response.status
        except (aiohttp.ClientError, TimeoutError):
            return None
