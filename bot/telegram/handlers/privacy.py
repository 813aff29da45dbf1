"""/privacy, /mydata and /forget (/forgetme): what the bot holds about a user, a copy of it,
and erasing it after a confirmation."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, InputFile, Update

from bot.core import privacy_notice as views
from bot.flows.export import export_json, export_user
from bot.flows.privacy import forget_user
from bot.telegram.callbacks import privacy as privacy_data
from bot.telegram.callbacks.privacy import ForgetChoice
from bot.telegram.context import Context, edit_in_place, query_of
from bot.telegram.render import button
from bot.telegram.services import get_services

log = logging.getLogger(__name__)

ASK = (
    "This deletes everything I hold about you: quiz answers, progress, tips seen and daily-tip "
    "settings. It cannot be undone. Delete it all?"
)
DONE = "Done — I hold nothing about you any more. If you write again, I start from scratch."
NOTHING = "I hold nothing about you. Nothing to delete."
KEPT = "OK, nothing was deleted."
EXPORT_FILENAME = "my-data.json"


async def notice(update: Update, context: Context) -> None:
    """/privacy: what is stored, why, for how long, who sees it, how to export or delete it."""
    if update.effective_message is None:
        return
    days = get_services(context).settings.answer_retention_days
    await update.effective_message.reply_text(views.privacy_notice(days))


async def my_data(update: Update, context: Context) -> None:
    """/mydata: every row about the user as a JSON file, and a summary of it in the chat.

    Read-only: asking for a copy creates no user row, so someone who never used the bot gets
    an empty answer rather than a record of having asked.
    """
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return
    user_id = user.id
    found = await get_services(context).database.run(lambda c: export_user(c, user_id))
    if found.is_empty():
        await message.reply_text(views.EMPTY_EXPORT)
        return
    document = InputFile(export_json(found), filename=EXPORT_FILENAME)
    await message.reply_document(document, caption=views.EXPORT_CAPTION)
    await message.reply_text(views.export_summary(found.row_counts()))


async def ask(update: Update, context: Context) -> None:
    """/forget: ask before deleting, since a mistaken tap would erase months of progress."""
    if update.effective_message is None:
        return
    keyboard = InlineKeyboardMarkup(
        [
            [button("Yes, delete everything", privacy_data.forget(ForgetChoice.DELETE))],
            [button("No, keep it", privacy_data.forget(ForgetChoice.KEEP))],
        ]
    )
    await update.effective_message.reply_text(ASK, reply_markup=keyboard)


async def confirm(update: Update, context: Context) -> None:
    """forget:yes / forget:no. A double tap finds nothing left and says so."""
    query = query_of(update)
    if privacy_data.forget_choice(context) is ForgetChoice.KEEP:
        await query.answer()
        await edit_in_place(query, KEPT)
        return
    user_id = query.from_user.id
    database = get_services(context).database
    deleted = await database.run(lambda s: forget_user(s, user_id))
    if not deleted:  # A second tap, or nothing was ever stored.
        await query.answer(NOTHING)
        return
    # The rows are gone; the checkpoint moves the zeroed pages out of the WAL too (SQLite).
    if not database.checkpoint_wal():
        log.info("forget: WAL checkpoint held back by a reader; SQLite finishes it later")
    await query.answer()
    await edit_in_place(query, DONE)
