"""/quiz, /review, "Retry my mistakes" and poll answers: native quiz polls, one at a time.

The next question goes out as soon as the user answers. All quiz state is in the database, so a
restart between two questions loses nothing: the next answer is graded and the quiz goes on. A
question whose send failed is sent again by `bot/telegram/quiz_rescue_job.py`.
"""

from __future__ import annotations

import contextlib
import logging
import random

from telegram import Bot, Update
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.contentbank.limits import POLL_QUESTION_MAX
from bot.core.quiz_results import (
    AlreadyRunning,
    Graded,
    NothingReason,
    NothingToAsk,
    NotOurs,
    QuestionToSend,
    QuizFinished,
    QuizOver,
    Skipped,
    Started,
)
from bot.core.telegram_html import utf16_length
from bot.flows import quiz as quiz_flow
from bot.telegram import lean_send
from bot.telegram.callbacks import quiz as quiz_data
from bot.telegram.context import Context, answer_stale, query_of
from bot.telegram.services import Services, get_services
from bot.telegram.views import learning

log = logging.getLogger(__name__)
_rng = random.SystemRandom()

ALREADY_RUNNING = "Your quiz has started — answer the question above."
QUIZ_OVER = "That question belongs to a quiz that has ended. Type /quiz for a new one."
LOST_TRACK = "Sorry, I lost track of that answer (a network hiccup). Here’s the question again:"
NO_QUESTIONS = "There are no questions on that topic yet."
QUESTION_DELAYED = (
    "I couldn’t send your next question just now (a connection problem on the way to "
    "Telegram). I’ll send it again in a minute."
)


def poll_question(question: QuestionToSend) -> str:
    """The poll's question with a "2/5" counter, when it still fits Telegram's limit."""
    numbered = f"({question.position + 1}/{question.total}) {question.question.question}"
    if utf16_length(numbered) <= POLL_QUESTION_MAX:
        return numbered
    return question.question.question


async def send_question(
    bot: Bot, services: Services, chat_id: int, question: QuestionToSend, *, notify: bool = True
) -> bool:
    """Send one question as a non-anonymous quiz poll and remember its poll id.

    False when the send failed on the way (a network error, a 5xx, a 429 past the limiter's
    retries): the quiz waits on that question with no poll, which is exactly what the rescue job
    looks for, so it is sent again; `notify` tells the user so. Errors that sending again cannot
    fix propagate: Forbidden (the user blocked the bot) and BadRequest (Telegram refuses it).
    """
    q = question.question
    try:
        poll_id = await lean_send.send_quiz_poll(
            bot, chat_id, poll_question(question), q.options, q.correct, q.explanation
        )
    except (Forbidden, BadRequest):
        raise
    except TelegramError as error:
        log.warning("quiz question not sent (%s); it will be sent again", type(error).__name__)
        if notify:
            with contextlib.suppress(TelegramError):
                await bot.send_message(chat_id, QUESTION_DELAYED)
        return False
    await services.database.run(
        lambda s: quiz_flow.record_poll(s, poll_id=poll_id, user_id=chat_id, question=question)
    )
    return True


async def deliver_start(
    context: Context, services: Services, chat_id: int, started: Started
) -> None:
    """Send what starting a quiz or review produced: the first question or a short note."""
    if isinstance(started, QuestionToSend):
        await send_question(context.bot, services, chat_id, started)
    elif isinstance(started, AlreadyRunning):
        await context.bot.send_message(chat_id, ALREADY_RUNNING)
    elif started.reason is NothingReason.NO_REVIEWS:
        text, keyboard = learning.nothing_to_review(started.next_review)
        await lean_send.send_text(context.bot, chat_id, text, keyboard)
    else:
        await context.bot.send_message(chat_id, NO_QUESTIONS)


async def start_quiz_for(
    context: Context, services: Services, user_id: int, topic: str | None
) -> None:
    now = services.clock()
    started = await services.database.run(
        lambda s: quiz_flow.start_quiz(
            s, services.content, user_id=user_id, topic=topic, now=now, rng=_rng
        )
    )
    await deliver_start(context, services, user_id, started)


async def quiz_command(update: Update, context: Context) -> None:
    """/quiz [topic]: five questions from one topic, or mixed."""
    services = get_services(context)
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None:
        return
    topic = context.args[0].lower() if context.args else None
    if topic is not None and services.content.topic(topic) is None:
        text, keyboard = learning.unknown_topic(services.content.topics)
        await message.reply_text(text, reply_markup=keyboard)
        return
    await start_quiz_for(context, services, user.id, topic)


async def quiz_button(update: Update, context: Context) -> None:
    """ "Quiz", "Another quiz", "Quiz me on this": quiz:start[:topic]."""
    query = query_of(update)
    services = get_services(context)
    topic = quiz_data.start_topic(context)
    if topic is not None and services.content.topic(topic) is None:
        await answer_stale(query)
        return
    await query.answer()
    await start_quiz_for(context, services, query.from_user.id, topic)


async def retry_button(update: Update, context: Context) -> None:
    """ "Retry my mistakes": the missed questions again, at once; a stale button does nothing."""
    query = query_of(update)
    services = get_services(context)
    quiz_id = quiz_data.retry_quiz_id(context)
    user_id = query.from_user.id
    now = services.clock()
    started = await services.database.run(
        lambda s: quiz_flow.start_retry(
            s, services.content, user_id=user_id, quiz_id=quiz_id, now=now
        )
    )
    if isinstance(started, NothingToAsk):
        await answer_stale(query)
        return
    await query.answer()
    await deliver_start(context, services, user_id, started)


async def review(update: Update, context: Context) -> None:
    """/review and "Review mistakes": the questions whose review has come due."""
    services = get_services(context)
    user = update.effective_user
    if user is None:
        return
    if update.callback_query is not None:
        await update.callback_query.answer()
    now = services.clock()
    started = await services.database.run(
        lambda s: quiz_flow.start_review(
            s,
            services.content,
            user_id=user.id,
            now=now,
            default_zone=services.settings.timezone,
        )
    )
    await deliver_start(context, services, user.id, started)


async def poll_answer(update: Update, context: Context) -> None:
    """Grade a quiz poll answer once, then send the next question or the result."""
    answer = update.poll_answer
    if answer is None or answer.user is None:
        return
    services = get_services(context)
    user_id = answer.user.id
    now = services.clock()
    outcome = await services.database.run(
        lambda s: quiz_flow.answer(
            s,
            services.content,
            poll_id=answer.poll_id,
            user_id=user_id,
            option_ids=list(answer.option_ids),
            now=now,
            default_zone=services.settings.timezone,
        )
    )
    if isinstance(outcome, QuizOver):
        await context.bot.send_message(user_id, QUIZ_OVER)
    if isinstance(outcome, NotOurs) and outcome.resend is not None:
        await context.bot.send_message(user_id, LOST_TRACK)
        await send_question(context.bot, services, user_id, outcome.resend)
    if not isinstance(outcome, Graded | Skipped):
        return  # Replays, retracted votes and foreign polls change nothing and need no reply.
    if isinstance(outcome.next, QuizFinished):
        text, keyboard = learning.quiz_summary(outcome.next, services.bot_username)
        await lean_send.send_text(context.bot, user_id, text, keyboard)
    else:
        await send_question(context.bot, services, user_id, outcome.next)
