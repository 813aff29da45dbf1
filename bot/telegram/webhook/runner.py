"""Start and stop the bot in webhook mode, around PTB's Application built without an Updater.

Start: initialize (getMe), post_init (command menu, daily-tip job), the pruning job, the
Application, our HTTP server, and last setWebhook, so Telegram's first POST finds us listening.
Stop: the HTTP server first (no new updates), then the Application, which finishes every update
already queued. The webhook stays registered: while the bot is down Telegram keeps the updates
and delivers them once it is back, so a restart or a rolling deploy loses nothing.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

from telegram.error import NetworkError, TimedOut

from bot.flows import updates as update_flow
from bot.telegram.context import Context
from bot.telegram.jobs import repeat
from bot.telegram.services import SERVICES_KEY, Services, get_services
from bot.telegram.webhook.health import HealthCheck
from bot.telegram.webhook.intake import UpdateIntake
from bot.telegram.webhook.server import WebhookServer

log = logging.getLogger(__name__)

T = TypeVar("T")

# The update kinds registered in bot/app.py: asking for no more keeps Telegram from posting
# traffic we would drop (edits, channel posts, reactions).
ALLOWED_UPDATES = ("message", "callback_query", "poll_answer", "my_chat_member", "inline_query")
PRUNE_JOB = "prune-processed-updates"
PRUNE_EVERY = timedelta(hours=1)
START_ATTEMPTS = 4  # ride out a brief network blip at start, as long polling does


class WebhookBot:
    """The Application plus the HTTP server in front of it."""

    def __init__(self, application: Any, *, listen: str, port: int) -> None:
        self.application = application
        self.services: Services = application.bot_data[SERVICES_KEY]
        settings = self.services.settings
        secret = settings.webhook_secret_value()
        if not secret or not settings.webhook_url:
            raise ValueError("webhook mode needs WEBHOOK_URL and WEBHOOK_SECRET")
        self.url = settings.webhook_url
        self.secret = secret
        self.listen_address = listen
        self.listen_port = port
        self.server = WebhookServer(
            UpdateIntake(application, self.services, secret),
            HealthCheck(self.services.database),
            settings.webhook_path,
        )

    @property
    def port(self) -> int:
        """The bound port (differs from the setting only when it was 0, in tests)."""
        return self.server.port

    async def start(self) -> None:
        application = self.application
        await _retrying(application.initialize)
        if application.post_init is not None:
            await application.post_init(application)
        schedule_pruning(application)
        await application.start()
        self.server.listen(self.listen_address, self.listen_port)
        await _retrying(
            lambda: application.bot.set_webhook(
                self.url, secret_token=self.secret, allowed_updates=list(ALLOWED_UPDATES)
            )
        )
        log.info("webhook: listening on %s:%d for %s", self.listen_address, self.port, self.url)

    async def stop(self) -> None:
        """Safe after a partial start; never deletes the webhook (see the module docstring)."""
        await self.server.close()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()


def schedule_pruning(application: Any) -> None:
    """Forget old update ids once an hour: one indexed DELETE, so the table stays small."""
    # Soon after start; a start already past would wait out a whole interval.
    repeat(application, prune_processed_updates, name=PRUNE_JOB, interval=PRUNE_EVERY, first=1.0)


async def prune_processed_updates(context: Context) -> None:
    services = get_services(context)
    now = services.clock()
    dropped = await services.database.run(lambda c: update_flow.forget_old(c, now))
    if dropped:
        log.debug("webhook: forgot %d old update ids", dropped)


async def _retrying(call: Callable[[], Awaitable[T]]) -> T:
    """A network error at start is retried a few times, a rejected token is not."""
    for attempt in range(1, START_ATTEMPTS + 1):
        try:
            return await call()
        except (NetworkError, TimedOut) as error:
            if attempt == START_ATTEMPTS:
                raise
            log.warning("webhook start: %s, retrying", type(error).__name__)
            await asyncio.sleep(attempt)
    raise AssertionError("unreachable")


async def serve_until_stopped(bot: WebhookBot) -> None:
    """Serve until SIGINT or SIGTERM, then stop cleanly."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    try:
        await bot.start()
        await stopping.wait()
        log.info("webhook: stopping; the webhook stays set, Telegram keeps new updates")
    finally:
        await bot.stop()


def run_webhook(application: Any) -> None:
    """`python -m bot run --webhook`: blocks until a stop signal."""
    settings = application.bot_data[SERVICES_KEY].settings
    bot = WebhookBot(application, listen=settings.webhook_listen, port=settings.webhook_port)
    asyncio.run(serve_until_stopped(bot))
