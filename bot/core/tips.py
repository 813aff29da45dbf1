"""Which tip a user gets next: unseen first, and no repeat until every tip has been seen.

Shared by /tip, the terminal chat and the daily delivery, so all walk the same order.
Pure: history in, tip out; `bot.flows.tips.next_tip_for` reads and records it in a transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.core.content import Tip
from bot.core.records import SeenTip

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
