"""/start and /help: say what the bot does, what it stores, and what to type next."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackContext

from bot.storage.repositories import users
from bot.telegram.commands import COMMANDS
from bot.telegram.services import get_services

WELCOME = (
    "👋 <b>Hi! I explain how mass surveillance works</b> — CCTV, face recognition, "
    'China\'s camera networks, "social credit", Clearview AI, police body cameras — '
    "and what you can do about it.\n\n"
    "<b>What I store:</b> only your Telegram user id and your learning progress "
    "(quiz answers, tips seen). No name, no username, no phone number.\n\n"
    "Type /help to see everything I can do."
)


async def start(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Greet the user and remember them (only their id), making them reachable again."""
    services = get_services(context)
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None:
        return
    now = services.clock()
    await services.database.run(lambda s: users.touch(s, user.id, now))
    await message.reply_text(WELCOME)


def help_text() -> str:
    lines = ["<b>What I can do</b>", ""]
    lines += [f"/{command.name} — {command.description}" for command in COMMANDS]
    return "\n".join(lines)


async def show_help(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
    """List the commands (the same list the Telegram menu shows)."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(help_text())
