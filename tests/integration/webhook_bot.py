"""Run the real Application in webhook mode, inside the test's event loop, behind the fake.

The bot's own HTTP server listens on a free loopback port; the fake Bot API maps the https URL
the bot registers to that port (tests have no TLS) and POSTs updates to it like Telegram.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.app import build_application
from bot.config import load_settings
from bot.core.content import ContentBank
from bot.storage import migrate
from bot.storage.database import Database
from bot.telegram.services import Services
from bot.telegram.webhook.intake import SECRET_HEADER
from bot.telegram.webhook.runner import WebhookBot
from tests.fakes.bot_api import FakeBotAPI
from tests.integration.conftest import TOKEN, BotHarness, FakeClock

PUBLIC_ORIGIN = "https://bot.example.org"
WEBHOOK_PATH = "/telegram/updates"
SECRET = "test-Webhook_secret-42"


@dataclass
class WebhookHarness(BotHarness):
    webhook: WebhookBot

    @property
    def local_url(self) -> str:
        return f"http://127.0.0.1:{self.webhook.port}"

    async def post(self, body: bytes | dict[str, Any], secret: str | None = SECRET) -> int:
        return await post_update(self.local_url, body, secret)

    async def get(self, path: str) -> tuple[int, Any]:
        return await get_json(self.local_url + path)


async def post_update(root: str, body: bytes | dict[str, Any], secret: str | None = SECRET) -> int:
    """POST to a bot's webhook path as Telegram would; returns the HTTP status."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    async with (
        aiohttp.ClientSession() as session,
        session.post(root + WEBHOOK_PATH, data=data, headers=headers) as response,
    ):
        return response.status


async def get_json(url: str) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.json(content_type=None)


def webhook_settings(api: FakeBotAPI, database_url: str, **settings: Any) -> Any:
    values: dict[str, Any] = {
        "telegram_bot_token": TOKEN,
        "telegram_api_base_url": api.base_url,
        "telegram_api_base_file_url": api.base_file_url,
        "database_url": database_url,
        "webhook_url": PUBLIC_ORIGIN + WEBHOOK_PATH,
        "webhook_secret": SECRET,
    }
    values.update(settings)
    return load_settings(**values)


@asynccontextmanager
async def running_webhook_bot(
    api: FakeBotAPI,
    database_url: str,
    content: ContentBank,
    clock: FakeClock,
    *,
    redirect: bool = True,
    **settings: Any,
) -> AsyncIterator[WebhookHarness]:
    """Start the bot as `python -m bot run --webhook` does; `redirect=False` leaves the fake
    unable to reach it (as if the proxy in front were down)."""
    migrate.upgrade(database_url)
    database = Database(database_url)
    services = Services(webhook_settings(api, database_url, **settings), content, database, clock)
    app = build_application(services, polling=False)
    webhook = WebhookBot(app, listen="127.0.0.1", port=0)
    try:
        await webhook.start()
        if redirect:
            api.redirect_webhook(PUBLIC_ORIGIN, f"http://127.0.0.1:{webhook.port}")
        yield WebhookHarness(api, app, services, clock, webhook)
    finally:
        await webhook.stop()
        database.close()
