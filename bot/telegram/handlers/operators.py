"""/stats for operators listed in ADMIN_USER_IDS; everyone else gets the usual /help pointer,
so the command's existence is not advertised."""

from __future__ import annotations

from telegram import Update

from bot.flows.operators import operator_stats
from bot.telegram.context import Context
from bot.telegram.handlers import fallback
from bot.telegram.services import get_services


async def stats(update: Update, context: Context) -> None:
    """Totals for the operator: users, subscribers, deliveries, content."""
    services = get_services(context)
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return
    if user.id not in services.settings.admin_user_ids:
        await fallback.not_understood(update, context)
        return
    found = await services.database.run(lambda s: operator_stats(s, services.content))
    ledger = ", ".join(f"{k} {v}" for k, v in sorted(found.deliveries_by_status.items()))
    await message.reply_text(
        "📊 <b>This instance</b>\n"
        f"Users: <b>{found.users}</b>\n"
        f"Daily-tip subscribers: <b>{found.subscribers}</b>\n"
        f"Daily tips, last 14 days: {ledger or 'none yet'}\n"
        f"Content: {found.topics} topics, {found.questions} questions, {found.tips} tips"
    )
