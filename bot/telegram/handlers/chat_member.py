"""my_chat_member: the user blocked or unblocked the bot, so daily tips skip or reach them."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType

from bot.flows import privacy
from bot.telegram.context import Context
from bot.telegram.services import get_services


async def member_update(update: Update, context: Context) -> None:
    """The user blocked (kicked) or unblocked the bot in their private chat."""
    change = update.my_chat_member
    if change is None or change.chat.type != ChatType.PRIVATE:
        return
    services = get_services(context)
    user_id = change.chat.id
    status = change.new_chat_member.status
    if status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
        await services.database.run(lambda s: privacy.set_reachable(s, user_id, False))
    elif status == ChatMemberStatus.MEMBER:
        await services.database.run(lambda s: privacy.set_reachable(s, user_id, True))
