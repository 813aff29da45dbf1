"""Inline mode: `@bot face` in any chat lists matching tips, explainers and quiz questions.

The query text can say what a person fears (someone typing "@bot stalker" in a family chat), so
this handler never stores, logs or forwards it: no database call, no log line, and results that
depend only on the content bank, which lets Telegram cache them for everyone (`is_personal`
false). Nothing here reads the chat the query was typed in.
"""

from __future__ import annotations

from telegram import Update

from bot.core.inline_search import page_of, search
from bot.telegram.context import Context
from bot.telegram.services import get_services
from bot.telegram.views.inline import article

# Results change only when the content is reloaded or an item passes its review date.
CACHE_SECONDS = 900


async def inline_query(update: Update, context: Context) -> None:
    """Answer one inline query with a page of matching items (and the offset of the next)."""
    query = update.inline_query
    if query is None:
        return
    services = get_services(context)
    bank = services.content
    matches = search(bank, query.query, services.clock().date())
    page = page_of(matches, query.offset)
    username = services.bot_username or context.bot.username
    await query.answer(
        [article(bank, item, username) for item in page.items],
        cache_time=CACHE_SECONDS,
        is_personal=False,
        # None, not "": with Defaults set, PTB 22.8 sends an empty next_offset as "[]", which
        # Telegram would take for an offset and ask for a page that does not exist.
        next_offset=page.next_offset or None,
    )
