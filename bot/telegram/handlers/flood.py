"""What a user hears when they send faster than the bot reads: one calm "slow down".

`PerUserUpdateProcessor` decides which updates it skips; this module only answers for them.
Replies go through the update's own bot, so they pass the same rate limiter as every reply.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

log = logging.getLogger(__name__)

SLOW_DOWN = (
    "You're sending messages faster than I can read them — I skipped some. "
    "Wait a moment, then carry on."
)
SLOW_DOWN_BUTTON = "Too fast — I skipped that tap. Wait a moment, then try again."


async def answer_skipped(update: object, notify: bool) -> None:
    """Answer for one skipped update: stop a button's spinner; say "slow down" when asked.

    `notify` is true for the first skip of a burst only, so a user who forwards a hundred
    messages gets one notice, not eighty. A skipped tap is always answered (a short toast, the
    call that stops the spinner anyway), and a toast that says why costs nothing more.

    A failure here is logged and forgotten: the update was skipped anyway, and an error
    reply would be one more message to a user who already has too many.
    """
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            # Always answered, or the button keeps spinning until Telegram gives up.
            await update.callback_query.answer(SLOW_DOWN_BUTTON)
        elif notify and update.effective_chat is not None:
            await update.get_bot().send_message(update.effective_chat.id, SLOW_DOWN)
    except TelegramError as error:
        log.warning(
            "could not answer skipped update %s: %s", update.update_id, type(error).__name__
        )
