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
    BaseUpdateProcessor,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    PollAnswerHandler,
    filters,
)

from bot.telegram.answer_tracking import ANSWERS_KEY, AnswerTrackingRequest
from bot.telegram.callbacks import actions as action_data
from bot.telegram.callbacks import card as card_data
from bot.telegram.callbacks import checkup as checkup_data
from bot.telegram.callbacks import daily as daily_data
from bot.telegram.callbacks import discreet as discreet_data
from bot.telegram.callbacks import learn as learn_data
from bot.telegram.callbacks import menu as menu_data
from bot.telegram.callbacks import privacy as privacy_data
from bot.telegram.callbacks import quiz as quiz_data
from bot.telegram.callbacks import tips as tips_data
from bot.telegram.card_job import schedule_weekly_cards
from bot.telegram.commands import COMMANDS
from bot.telegram.deletion_job import schedule_deletions
from bot.telegram.delivery_job import policy_for, schedule_daily_tips
from bot.telegram.handlers import (
    actions,
    card,
    chat_member,
    checkup,
    daily_tip_buttons,
    daily_tip_commands,
    discreet,
    errors,
    fallback,
    flood,
    free_text,
    inline,
    learn,
    operators,
    privacy,
    progress,
    quiz,
    start,
    tips,
)
from bot.telegram.heartbeat import schedule_heartbeat
from bot.telegram.maintenance_job import schedule_maintenance
from bot.telegram.quiz_rescue_job import schedule_quiz_rescue
from bot.telegram.rate_limiter import rate_limiter_for
from bot.telegram.readable_updates import ReadableUpdatesRequest
from bot.telegram.services import SERVICES_KEY, Services
from bot.telegram.update_processor import PerUserUpdateProcessor

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]

# The bot talks in private chats only, and to new messages only: an edited "/subscribe 07:00"
# must not subscribe again, and in a group the bot must not answer every join and pin.
PRIVATE_MESSAGES = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


def build_application(
    services: Services,
    *,
    rate_limited: bool = True,
    polling: bool = True,
    update_processor: BaseUpdateProcessor | None = None,
) -> AnyApplication:
    """The real Application: HTML by default, the configured Bot API server, every handler.

    Every request goes through `ChatRateLimiter` (replies before daily tips, 429s handled once).
    `rate_limited=False` drops its global budget (as `TELEGRAM_RATE_LIMIT=0` does); benchmarks
    use it to measure how many updates the bot can process, not how many Telegram would accept.
    They pass their own `update_processor` to compare against the one the settings describe.
    `polling=False` builds it without an Updater, for webhook mode (bot/telegram/webhook/).
    """
    settings = services.settings
    if update_processor is None:
        update_processor = PerUserUpdateProcessor(
            in_flight=settings.updates_in_flight,
            user_queue_limit=settings.user_queue_limit,
            on_skipped=flood.answer_skipped,
        )
    token = settings.token_value()
    if not token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    # Room for the updates in flight plus the daily-tip sends, which share this client; the
    # request also remembers answered callback queries for the error handler.
    answers = AnswerTrackingRequest(
        connection_pool_size=settings.updates_in_flight + policy_for(services).sends_in_flight(),
        pool_timeout=10.0,
    )
    builder: Any = (  # Any: the builder's generic type changes with .rate_limiter()
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_base_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=services.settings.timezone))
        .concurrent_updates(update_processor)
        # httpcore scans its whole pool on every request: a small pool is faster on a busy bot.
        .request(answers)
        .get_updates_request(ReadableUpdatesRequest(connection_pool_size=1))  # PTB's default size
        .rate_limiter(rate_limiter_for(settings, unlimited=not rate_limited))
        .post_init(_post_init)
    )
    if not polling:
        builder = builder.updater(None)
    application: AnyApplication = builder.build()
    application.bot_data[SERVICES_KEY] = services
    application.bot_data[ANSWERS_KEY] = answers
    register_handlers(application)
    return application


def command(names: str | list[str], callback: Any) -> CommandHandler[Any, Any]:
    """A command in a private chat, from a new message (not an edit)."""
    return CommandHandler(names, callback, filters=PRIVATE_MESSAGES)


def register_handlers(application: AnyApplication) -> None:
    """Every handler, in one documented order.

    Each button kind is registered with its codec's full pattern, so a handler only ever sees
    data that parsed; anything else falls through to `fallback.unknown_button`.
    """
    add = application.add_handler
    add(command("start", start.start))
    add(command("help", start.show_help))
    # Learning: explainers, quizzes, reviews, progress.
    add(command(["learn", "topics"], learn.topics))
    add(CallbackQueryHandler(learn.topics, pattern=menu_data.LEARN_PATTERN))
    add(CallbackQueryHandler(learn.open_topic_button, pattern=learn_data.OPEN_PATTERN))
    add(CallbackQueryHandler(learn.page_button, pattern=learn_data.PAGE_PATTERN))
    add(CallbackQueryHandler(learn.sources_button, pattern=learn_data.SOURCES_PATTERN))
    add(command("quiz", quiz.quiz_command))
    add(CallbackQueryHandler(quiz.quiz_button, pattern=quiz_data.START_PATTERN))
    add(CallbackQueryHandler(quiz.retry_button, pattern=quiz_data.RETRY_PATTERN))
    add(command("review", quiz.review))
    add(CallbackQueryHandler(quiz.review, pattern=quiz_data.REVIEW_PATTERN))
    add(PollAnswerHandler(quiz.poll_answer))
    add(command("progress", progress.show_progress))
    add(CallbackQueryHandler(progress.show_progress, pattern=menu_data.PROGRESS_PATTERN))
    add(CallbackQueryHandler(card.show_card, pattern=card_data.SHOW_PATTERN))
    add(command("privacy", privacy.notice))
    add(command("mydata", privacy.my_data))
    add(command(["forget", "forgetme"], privacy.ask))
    add(CallbackQueryHandler(privacy.confirm, pattern=privacy_data.FORGET_PATTERN))
    # Daily tips and /tip
    add(command("tip", tips.tip_command))
    add(CallbackQueryHandler(tips.tip_button, pattern=tips_data.NEXT_PATTERN))
    add(command("subscribe", daily_tip_commands.subscribe_command))
    add(command("unsubscribe", daily_tip_commands.unsubscribe_command))
    add(command("settings", daily_tip_commands.settings_command))
    add(CallbackQueryHandler(daily_tip_buttons.action_button, pattern=daily_data.ACTION_PATTERN))
    add(CallbackQueryHandler(daily_tip_buttons.time_button, pattern=daily_data.TIME_PATTERN))
    add(CallbackQueryHandler(daily_tip_buttons.zone_button, pattern=daily_data.ZONE_PATTERN))
    add(
        CallbackQueryHandler(
            daily_tip_buttons.keep_zone_button, pattern=daily_data.KEEP_ZONE_PATTERN
        )
    )
    add(CallbackQueryHandler(card.weekly_button, pattern=card_data.WEEKLY_PATTERN))
    # Discreet mode: quiet daily messages, lessons that delete themselves.
    add(command("discreet", discreet.discreet_command))
    add(CallbackQueryHandler(discreet.menu_button, pattern=discreet_data.MENU_PATTERN))
    add(CallbackQueryHandler(discreet.set_button, pattern=discreet_data.SET_PATTERN))
    add(CallbackQueryHandler(discreet.delete_button, pattern=discreet_data.DELETE_PATTERN))
    # The 7-day check-up, /checklist, and the action buttons under tips and check-up steps.
    add(command("checkup", checkup.checkup_command))
    add(CallbackQueryHandler(checkup.checkup_command, pattern=checkup_data.OPEN_PATTERN))
    add(CallbackQueryHandler(checkup.platform_button, pattern=checkup_data.PLATFORM_PATTERN))
    add(CallbackQueryHandler(checkup.change_button, pattern=checkup_data.CHANGE_PATTERN))
    add(CallbackQueryHandler(checkup.next_button, pattern=checkup_data.NEXT_PATTERN))
    add(command("checklist", checkup.checklist_command))
    add(CallbackQueryHandler(checkup.checklist_button, pattern=checkup_data.LIST_PATTERN))
    add(CallbackQueryHandler(actions.action_button, pattern=action_data.PATTERN))
    add(ChatMemberHandler(chat_member.member_update, ChatMemberHandler.MY_CHAT_MEMBER))
    add(InlineQueryHandler(inline.inline_query))  # sharing in any chat: `@bot words`
    # Typed text answers a pending question (time or zone), or gets the fallback's reply.
    add(MessageHandler(PRIVATE_MESSAGES & filters.TEXT & ~filters.COMMAND, free_text.text_input))
    # Operators (ADMIN_USER_IDS) only; not in the public command menu.
    add(command("stats", operators.stats))
    add(command("reload", operators.reload))
    # Last: anything no feature claimed — text, stickers, unknown commands, forged buttons.
    add(MessageHandler(PRIVATE_MESSAGES, fallback.not_understood))
    add(CallbackQueryHandler(fallback.unknown_button))
    application.add_error_handler(errors.on_error)


async def _post_init(application: AnyApplication) -> None:
    """Publish the command menu and remember the bot's username for share links."""
    await application.bot.set_my_commands(
        [BotCommand(command.name, command.description) for command in COMMANDS]
    )
    services = application.bot_data[SERVICES_KEY]
    services.bot_username = application.bot.username
    schedule_daily_tips(application)
    schedule_maintenance(application)
    schedule_quiz_rescue(application)
    schedule_deletions(application)
    schedule_weekly_cards(application)
    schedule_heartbeat(application)  # for `python -m bot health`
    log.info("bot @%s ready", application.bot.username)
