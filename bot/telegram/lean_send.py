"""Sends on the busiest paths, without turning Telegram's answer into PTB objects.

python-telegram-bot parses every message Telegram echoes back into a `Message`. That costs about
330 µs for the /start menu or a /progress reply, and more for a quiz poll (measured on this
stack), which is more than the rest of those handlers. The busiest handlers never read that
object: a quiz needs only the poll id. So they post through the bot's own `_post`, which keeps
the defaults, rate limiter, errors and retries, and they keep the answer as JSON.
python-telegram-bot is pinned (==22.8), and the integration tests send these through the fake
Bot API, so a change in that protected method cannot pass unnoticed. Everything else sends the
usual way.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Bot, InlineKeyboardMarkup, InputPollOption
from telegram.constants import ParseMode, PollType


async def send_text(
    bot: Bot, chat_id: int, text: str, reply_markup: InlineKeyboardMarkup | None = None
) -> None:
    """sendMessage with HTML text (already escaped by the caller)."""
    data = {"chat_id": chat_id, "text": text, "parse_mode": ParseMode.HTML}
    if reply_markup is not None:
        data["reply_markup"] = reply_markup
    await bot._post("sendMessage", data)


async def send_quiz_poll(
    bot: Bot,
    chat_id: int,
    question: str,
    options: Sequence[str],
    correct_option: int,
    explanation: str,
) -> str:
    """A non-anonymous quiz poll with plain-text question, options and explanation.

    Returns the poll's id, the only thing the bot keeps from the answer.
    """
    data = {
        "chat_id": chat_id,
        "question": question,
        "options": [InputPollOption(option, text_parse_mode=None) for option in options],
        "is_anonymous": False,
        "type": PollType.QUIZ,
        "correct_option_ids": [correct_option],
        "explanation": explanation,
    }
    sent = await bot._post("sendPoll", data)
    return str(sent["poll"]["id"])
