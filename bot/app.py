"""Build the Telegram Application from settings: the one place where everything is wired.

Handler order matters: features in group 0 in the order below, the catch-all fallback last.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    PollAnswerHandler,
    filters,
)

from bot.telegram import callbacks
from bot.telegram.commands import COMMANDS
from bot.telegram.delivery_job import policy_for, schedule_daily_tips
from bot.telegram.handlers import (
    errors,
    fallback,
    learn,
    operators,
    privacy,
    progress,
    quiz,
    start,
    subscriptions,
    tips,
)
from bot.telegram.rate_limiter import rate_limiter_for
from bot.telegram.services import SERVICES_KEY, Services
from bot.telegram.update_processor import PerUserUpdateProcessor

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]

# The bot talks in private chats only, and to new messages only: an edited "/subscribe 07:00"
# must not subscribe again, and in a group the bot must not answer every join and pin.
PRIVATE_MESSAGES = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


def build_application(services: Services, *, rate_limited: bool = True) -> AnyApplication:
    """The real Application: HTML by default, the configured Bot API server, every handler.

    Every request goes through `ChatRateLimiter` (replies before daily tips, 429s handled once).
    `rate_limited=False` drops its global budget (as `TELEGRAM_RATE_LIMIT=0` does); benchmarks
    use it to measure how many updates the bot can process, not how many Telegram would accept.
    """
    settings = services.settings
    token = settings.token_value()
    if not token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    builder: Any = (  # Any: the builder's generic type changes with .rate_limiter()
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_base_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=services.settings.timezone))
        .concurrent_updates(PerUserUpdateProcessor(in_flight=settings.updates_in_flight))
        # httpcore scans its whole pool on every request: a small pool is faster on a busy bot.
        # Room for the updates in flight plus the daily-tip sends, which share this client.
        .connection_pool_size(settings.updates_in_flight + policy_for(services).sends_in_flight())
        .pool_timeout(10.0)
        .rate_limiter(rate_limiter_for(settings, unlimited=not rate_limited))
        .post_init(_post_init)
    )
    application: AnyApplication = builder.build()
    application.bot_data[SERVICES_KEY] = services
    register_handlers(application)
    return application


def command(names: str | list[str], callback: Any) -> CommandHandler[Any, Any]:
    """A command in a private chat, from a new message (not an edit)."""
    return CommandHandler(names, callback, filters=PRIVATE_MESSAGES)


def register_handlers(application: AnyApplication) -> None:
    """Every handler, in one documented order."""
    application.add_handler(command("start", start.start))
    application.add_handler(command("help", start.show_help))
    # Learning: explainers, quizzes, reviews, progress.
    application.add_handler(command(["learn", "topics"], learn.topics))
    application.add_handler(
        CallbackQueryHandler(learn.topics, pattern=f"^{callbacks.MENU_LEARN}$")
    )
    application.add_handler(CallbackQueryHandler(learn.page_button, pattern=r"^learn:"))
    application.add_handler(CallbackQueryHandler(learn.sources_button, pattern=r"^src:"))
    application.add_handler(command("quiz", quiz.quiz_command))
    application.add_handler(CallbackQueryHandler(quiz.quiz_button, pattern=r"^quiz:"))
    application.add_handler(command("review", quiz.review))
    application.add_handler(
        CallbackQueryHandler(quiz.review, pattern=f"^{callbacks.REVIEW_START}$")
    )
    application.add_handler(PollAnswerHandler(quiz.poll_answer))
    application.add_handler(command("progress", progress.show_progress))
    application.add_handler(
        CallbackQueryHandler(progress.show_progress, pattern=f"^{callbacks.MENU_PROGRESS}$")
    )
    application.add_handler(command("forget", privacy.ask))
    application.add_handler(CallbackQueryHandler(privacy.confirm, pattern=r"^forget:"))
    # Daily tips and /tip
    application.add_handler(command("tip", tips.tip_command))
    application.add_handler(CallbackQueryHandler(tips.tip_button, pattern=r"^tip:"))
    application.add_handler(command("subscribe", subscriptions.subscribe_command))
    application.add_handler(command("unsubscribe", subscriptions.unsubscribe_command))
    application.add_handler(command("settings", subscriptions.settings_command))
    application.add_handler(CallbackQueryHandler(subscriptions.sub_button, pattern=r"^sub:"))
    application.add_handler(
        ChatMemberHandler(subscriptions.member_update, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    application.add_handler(
        MessageHandler(
            PRIVATE_MESSAGES & filters.TEXT & ~filters.COMMAND, subscriptions.text_input
        )
    )
    # Operators (ADMIN_USER_IDS) only; not in the public command menu.
    application.add_handler(command("stats", operators.stats))
    # Last: anything no feature claimed — text, stickers, unknown commands, forged buttons.
    application.add_handler(MessageHandler(PRIVATE_MESSAGES, fallback.not_understood))
    application.add_handler(CallbackQueryHandler(fallback.unknown_button))
    application.add_error_handler(errors.on_error)


async def _post_init(application: AnyApplication) -> None:
    """Publish the command menu and remember the bot's username for share links."""
    await application.bot.set_my_commands(
        [BotCommand(command.name, command.description) for command in COMMANDS]
    )
    services = application.bot_data[SERVICES_KEY]
    services.bot_username = application.bot.username
    schedule_daily_tips(application)
    log.info("bot @%s ready", application.bot.username)
