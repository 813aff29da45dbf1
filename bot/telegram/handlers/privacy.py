"""/forget: delete everything the bot holds about the user, after a confirmation."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.flows.privacy import forget_user
from bot.telegram.callbacks import privacy as privacy_data
from bot.telegram.callbacks.privacy import ForgetChoice
from bot.telegram.context import Context, edit_in_place, query_of
from bot.telegram.render import button
from bot.telegram.services import get_services

ASK = (
    "This deletes everything I hold about you: quiz answers, progress, tips seen and daily-tip "
    "settings. It cannot be undone. Delete it all?"
)
DONE = "Done — I hold nothing about you any more. If you write again, I start from scratch."
NOTHING = "I hold nothing about you. Nothing to delete."
KEPT = "OK, nothing was deleted."


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
    deleted = await get_services(context).database.run(lambda s: forget_user(s, user_id))
    if not deleted:  # A second tap, or nothing was ever stored.
        await query.answer(NOTHING)
        return
    await query.answer()
    await edit_in_place(query, DONE)
