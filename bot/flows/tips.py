"""The next tip for /tip and the terminal chat, read and recorded in one transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from bot.core.content import ContentBank
from bot.core.records import SeenTip
from bot.core.tips import NextTip, choose_tip, count_unseen
from bot.storage.repositories import deliveries, tips, users


def next_tip_for(
    connection: Connection, bank: ContentBank, user_id: int, now: datetime
) -> NextTip | None:
    """Pick the user's next tip and count it as seen, in one transaction (/tip, chat).

    A tip claimed for the user's daily message but not yet recorded counts as seen too: without
    that, a /tip during the daily send would show the same tip twice.
    """
    users.touch(connection, user_id, now)
    history = tips.history(connection, user_id)
    for tip_id in deliveries.in_flight_tips(connection, user_id) - history.keys():
        history[tip_id] = SeenTip(1, now)
    rotation = bank.tips_in_rotation(now.date())
    tip = choose_tip(rotation, history)
    if tip is None:
        return None
    tips.mark_seen(connection, user_id, tip.id, now)
    left = count_unseen(rotation, history) - (0 if tip.id in history else 1)
    return NextTip(tip, left)
