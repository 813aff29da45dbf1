"""/learn (alias /topics): topics as buttons, explainers as pages, their sources."""

from __future__ import annotations

from telegram import Update

from bot.core.learning import explainer_page, sources_for
from bot.flows.learning import mark_read
from bot.telegram import callbacks, render
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
    await context.bot.send_message(chat_id, text, reply_markup=keyboard)
    return True


async def page_button(update: Update, context: Context) -> None:
    """learn:<topic>[:<page>]: open or turn a page in place; the last page counts as read."""
    query = query_of(update)
    services = get_services(context)
    match = callbacks.LEARN_PATTERN.match(query.data or "")
    page = None
    if match is not None:
        page = explainer_page(services.content, match["topic"], int(match["page"] or 0))
    if page is None or query.message is None:
        await answer_stale(query)
        return
    await query.answer()
    if page.is_last:
        user_id, explainer_id, now = query.from_user.id, page.explainer.id, services.clock()
        await services.database.run(lambda s: mark_read(s, user_id, explainer_id, now))
    text, keyboard = render.explainer_page(page, services.bot_username)
    if match is not None and match["page"] is None:
        # From the topic list: keep the list, open the explainer below it.
        await context.bot.send_message(query.message.chat.id, text, reply_markup=keyboard)
        return
    await edit_in_place(query, text, keyboard)


async def sources_button(update: Update, context: Context) -> None:
    """src:<topic>: list the explainer's sources as links."""
    query = query_of(update)
    services = get_services(context)
    match = callbacks.SOURCES_PATTERN.match(query.data or "")
    topic = services.content.topic(match["topic"]) if match else None
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
