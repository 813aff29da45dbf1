"""/start (with deep links) and /help: say what the bot does, what it stores, what to do next."""

from __future__ import annotations

from telegram import Update

from bot.core import wording
from bot.core.learning import parse_deep_link
from bot.core.telegram_html import escape
from bot.flows.learning import welcome_back
from bot.telegram import lean_send, render
from bot.telegram.commands import COMMANDS
from bot.telegram.context import Context
from bot.telegram.handlers import learn, quiz
from bot.telegram.services import get_services

WELCOME = (
    "👋 <b>Hi! I explain how mass surveillance works</b> — CCTV, face recognition, "
    'China\'s camera networks, "social credit", Clearview AI, police body cameras — '
    "and what you can do about it.\n\n"
    "<b>What I store:</b> only your Telegram user id and your learning progress "
    "(quiz answers, tips seen, daily-tip settings). No name, no username, no phone number. "
    "/privacy says what and for how long; /mydata gives you a copy; /forget deletes it all.\n\n"
    "Pick something below, or type /help."
)
UNKNOWN_LINK = "That link points to a topic I don't have (any more). Here is what I do have:"


async def start(update: Update, context: Context) -> None:
    """Greet, show the menu, and follow a deep link (topic_<id> or quiz_<id>) if there is one."""
    services = get_services(context)
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None:
        return
    now = services.clock()
    due = await services.database.run(lambda s: welcome_back(s, user.id, now))
    if context.args:
        link = parse_deep_link(context.args[0])
        if link is not None and services.content.topic(link.topic_id) is not None:
            if link.kind == "topic":
                await learn.send_explainer(context, services, user.id, link.topic_id)
            else:
                await quiz.start_quiz_for(context, services, user.id, link.topic_id)
            return
        await message.reply_text(UNKNOWN_LINK)
    text = WELCOME
    if due:
        text += f"\n\n🔁 You have {wording.questions_due(due)} for review: /review"
    await lean_send.send_text(context.bot, message.chat_id, text, render.main_menu())


def help_text() -> str:
    lines = ["<b>What I can do</b>", ""]
    lines += [f"/{command.name} — {escape(command.description)}" for command in COMMANDS]
    lines += ["", "Facts come with sources: tap “Sources” under any explainer."]
    return "\n".join(lines)


async def show_help(update: Update, context: Context) -> None:
    """List the commands (the same list the Telegram menu shows)."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(help_text())
