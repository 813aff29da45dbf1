"""The repeating job that sends again a quiz question that never reached the user.

A question is lost when its send failed (two 429s, a 502, a timeout) or when the process died
between grading an answer and sending the next question. Either way the database shows a running
quiz whose current question has no poll, so a restart loses nothing: the next run finds it. A
question that cannot be sent at all (Telegram refuses it, or it left the content bank, or it
failed `MAX_ATTEMPTS` times) ends the quiz, and the user is told plainly.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.core.quiz_results import LostQuestion
from bot.flows import quiz as quiz_flow
from bot.telegram.context import Context
from bot.telegram.handlers.quiz import send_question
from bot.telegram.jobs import repeat
from bot.telegram.services import Services, get_services

log = logging.getLogger(__name__)

JOB_NAME = "quiz-rescue"
INTERVAL = timedelta(seconds=30)
MAX_ATTEMPTS = 5  # with INTERVAL: about two and a half minutes of trying
ATTEMPTS_KEY = "quiz_rescue_attempts"  # bot_data: quiz id -> failed re-sends in this process

GAVE_UP = (
    "Sorry, I couldn’t send the next question of your quiz, so I’ve stopped it. "
    "Your answers so far are saved. Type /quiz to start a new one."
)


async def rescue_lost_questions(context: Context) -> None:
    """The job: one look for lost questions."""
    attempts = context.bot_data.setdefault(ATTEMPTS_KEY, {})
    await rescue_with(get_services(context), context.bot, attempts)


async def rescue_with(services: Services, bot: Bot, attempts: dict[int, int]) -> int:
    """Send every lost question once more; how many went out."""
    now = services.clock()
    lost = await services.database.run(
        lambda c: quiz_flow.lost_questions(c, services.content, now)
    )
    sent = 0
    for item in lost:
        if await _rescue(services, bot, item, attempts):
            sent += 1
    if lost:
        log.info("quiz rescue: %d of %d lost questions sent again", sent, len(lost))
    return sent


async def _rescue(
    services: Services, bot: Bot, item: LostQuestion, attempts: dict[int, int]
) -> bool:
    if item.question is None:
        await _give_up(services, bot, item, tell=True)
        return False
    try:
        if await send_question(bot, services, item.user_id, item.question, notify=False):
            attempts.pop(item.quiz_id, None)
            return True
    except Forbidden:  # blocked the bot: nobody to tell
        await _give_up(services, bot, item, tell=False)
        return False
    except BadRequest:  # Telegram will never take this one
        await _give_up(services, bot, item, tell=True)
        return False
    attempts[item.quiz_id] = attempts.get(item.quiz_id, 0) + 1
    if attempts[item.quiz_id] >= MAX_ATTEMPTS:
        await _give_up(services, bot, item, tell=True)
    return False


async def _give_up(services: Services, bot: Bot, item: LostQuestion, *, tell: bool) -> None:
    now = services.clock()
    await services.database.run(lambda c: quiz_flow.give_up(c, item.quiz_id, now))
    if tell:
        with contextlib.suppress(TelegramError):
            await bot.send_message(item.user_id, GAVE_UP)


def schedule_quiz_rescue(application: Any) -> None:
    """Start the repeating job (called from the application's post_init)."""
    repeat(application, rescue_lost_questions, name=JOB_NAME, interval=INTERVAL, first=INTERVAL)
