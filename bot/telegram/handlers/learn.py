"""/learn (alias /topics): topics as buttons, explainers as pages, their sources."""

from __future__ import annotations

from telegram import Message, Update

from bot.core.learning import ExplainerPage, explainer_page, sources_for
from bot.flows.learning import mark_read
from bot.telegram import deletion_job, render
from bot.telegram.callbacks import learn as learn_data
from bot.telegram.context import Context, answer_stale, edit_in_place, query_of
from bot.telegram.services import Services, get_services


async def topics(update: Update, context: Context) -> None:
    """/learn, /topics and the menu's "Learn" button: one button per topic."""
    services = get_services(context)
    text, keyboard = render.topics_menu(services.content)
    if update.callback_query is not None:
        await update.callback_query.answer()
    if update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, text, reply_markup=keyboard)


async def send_explainer(
    context: Context, services: Services, chat_id: int, topic_id: str
) -> bool:
    """Send page 1 of a topic's explainer as a new message; False for an unknown topic."""
    page = explainer_page(services.content, topic_id, 0)
    if page is None:
        return False
    text, keyboard = render.explainer_page(page, services.bot_username)
    sent = await context.bot.send_message(chat_id, text, reply_markup=keyboard)
    await deletion_job.remember(services, chat_id, chat_id, sent.message_id)
    return True


async def open_topic_button(update: Update, context: Context) -> None:
    """learn:<topic> from the topic list: keep the list, open the explainer below it."""
    query = query_of(update)
    services = get_services(context)
    page = explainer_page(services.content, learn_data.opened_topic(context), 0)
    if page is None or query.message is None:
        await answer_stale(query)
        return
    await query.answer()
    await _mark_read_if_last(services, query.from_user.id, page)
    text, keyboard = render.explainer_page(page, services.bot_username)
    chat_id = query.message.chat.id
    sent = await context.bot.send_message(chat_id, text, reply_markup=keyboard)
    await deletion_job.remember(services, query.from_user.id, chat_id, sent.message_id)


async def page_button(update: Update, context: Context) -> None:
    """learn:<topic>:<page>: turn the explainer's page in place."""
    query = query_of(update)
    services = get_services(context)
    turn = learn_data.turned_page(context)
    page = explainer_page(services.content, turn.topic_id, turn.page)
    message = query.message
    if page is None or not isinstance(message, Message) or message.text is None:
        # Forged onto a poll, a document or a deleted message: there is no page to turn.
        await answer_stale(query)
        return
    await query.answer()
    await _mark_read_if_last(services, query.from_user.id, page)
    text, keyboard = render.explainer_page(page, services.bot_username)
    await edit_in_place(query, text, keyboard)


async def _mark_read_if_last(services: Services, user_id: int, page: ExplainerPage) -> None:
    """Reaching the last page counts as reading the explainer."""
    if page.is_last:
        explainer_id, now = page.explainer.id, services.clock()
        await services.database.run(lambda s: mark_read(s, user_id, explainer_id, now))


async def sources_button(update: Update, context: Context) -> None:
    """src:<topic>: list the explainer's sources as links."""
    query = query_of(update)
    services = get_services(context)
    topic = services.content.topic(learn_data.sources_topic(context))
    found = sources_for(services.content, topic.id) if topic else ()
    if topic is None or not found or query.message is None:
        await answer_stale(query)
        return
    await query.answer()
    await context.bot.send_message(
        query.message.chat.id,
        render.sources_message(topic.title, found),
        disable_web_page_preview=True,
    )
