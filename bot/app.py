"""Build the Telegram Application from settings: the one place where everything is wired.

Handler order matters: features in group 0 in the order below, the catch-all fallback last.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CommandHandler,
    Defaults,
    MessageHandler,
    filters,
)

from bot.telegram.commands import COMMANDS
from bot.telegram.handlers import errors, fallback, start
from bot.telegram.services import SERVICES_KEY, Services

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def build_application(services: Services) -> AnyApplication:
    """The real Application: HTML by default, the configured Bot API server, every handler."""
    settings = services.settings
    token = settings.token_value()
    if not token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_base_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=services.settings.timezone))
        .rate_limiter(AIORateLimiter(max_retries=1))
        .post_init(_post_init)
        .build()
    )
    application.bot_data[SERVICES_KEY] = services
    register_handlers(application)
    return application


def register_handlers(application: AnyApplication) -> None:
    """Every handler, in one documented order."""
    application.add_handler(CommandHandler("start", start.start))
    application.add_handler(CommandHandler("help", start.show_help))
    # Last: anything no feature claimed.
    application.add_handler(MessageHandler(filters.ALL, fallback.not_understood))
    application.add_error_handler(errors.on_error)


async def _post_init(application: AnyApplication) -> None:
    """Publish the command menu and remember the bot's username for share links."""
    await application.bot.set_my_commands(
        [BotCommand(command.name, command.description) for command in COMMANDS]
    )
    services = application.bot_data[SERVICES_KEY]
    services.bot_username = application.bot.username
    log.info("bot @%s ready", application.bot.username)
