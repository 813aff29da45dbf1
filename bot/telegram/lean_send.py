"""Sends on the busiest paths, keeping Telegram's answer as JSON instead of PTB objects.

python-telegram-bot turns every message Telegram echoes back into a `Message`, which costs more
than the rest of a /progress or quiz-answer handler; these handlers never read that object (a
quiz needs only the poll id). `Bot.do_api_request` is the public way to make a call and keep the
raw result; it goes through the same request object, rate limiter and error mapping as
`send_message`. It does not apply `Defaults`, so every parameter a default would set is given
here explicitly (the parse mode). Everything else sends the usual way.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, InputPollOption
from telegram.constants import ParseMode, PollType
from telegram.warnings import PTBUserWarning

# do_api_request warns that sendMessage/sendPoll have wrapper methods; here that is the point.
_WRAPPED = ("sendMessage", "sendPoll")
WRAPPED_ENDPOINT_WARNING = rf"Please use 'Bot\.({'|'.join(_WRAPPED)})' instead of"
warnings.filterwarnings("ignore", message=WRAPPED_ENDPOINT_WARNING, category=PTBUserWarning)


async def send_text(
    bot: Bot, chat_id: int, text: str, reply_markup: InlineKeyboardMarkup | None = None
) -> None:
    """sendMessage with HTML text (already escaped by the caller)."""
    data: dict[str, Any] = {"chat_id": chat_id, "text": text, "parse_mode": ParseMode.HTML}
    if reply_markup is not None:
        data["reply_markup"] = reply_markup
    await bot.do_api_request("sendMessage", api_kwargs=data)


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
    sent = await bot.do_api_request("sendPoll", api_kwargs=data)
    return str(sent["poll"]["id"])


__all__ = ["WRAPPED_ENDPOINT_WARNING", "send_quiz_poll", "send_text"]
