"""Which tip a user gets next: unseen first, and no repeat until every tip has been seen.

Shared by /tip, the terminal chat and the daily delivery, so all walk the same order.
`choose_tip` is pure (history in, tip out); `next_tip_for` reads and records it in a transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection

from bot.core.content import ContentBank, Tip
from bot.storage.records import SeenTip
from bot.storage.repositories import deliveries, tips, users

_NEVER = datetime.min.replace(tzinfo=UTC)


def choose_tip(tips: Sequence[Tip], history: Mapping[str, SeenTip]) -> Tip | None:
    """The tip seen the fewest times, then the one seen longest ago, then bank order.

    "Fewest times" is what makes the promise hold: while any tip has been seen less often than
    another, a more-seen one cannot come up, so nobody gets a repeat before seeing them all. It
    also means "Another tip" never shows the tip just shown: that one now has one more view.
    """
    if not tips:
        return None

    def order(indexed: tuple[int, Tip]) -> tuple[int, datetime, int]:
        position, tip = indexed
        seen = history.get(tip.id)
        if seen is None:
            return (0, _NEVER, position)
        return (seen.times_seen, seen.last_seen_at, position)

    return min(enumerate(tips), key=order)[1]


def count_unseen(tips: Sequence[Tip], history: Mapping[str, SeenTip]) -> int:
    """Tips in the bank this user has never seen (for "n new tips left")."""
    return sum(1 for tip in tips if tip.id not in history)


@dataclass(frozen=True, slots=True)
class NextTip:
    tip: Tip
    unseen_left: int


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
    tip = choose_tip(bank.tips, history)
    if tip is None:
        return None
    tips.mark_seen(connection, user_id, tip.id, now)
    left = count_unseen(bank.tips, history) - (0 if tip.id in history else 1)
    return NextTip(tip, left)
