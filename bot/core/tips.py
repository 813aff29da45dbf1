"""Which tip a user gets next: unseen first, and no repeat until every tip has been seen.

Shared by /tip and the daily delivery, so both walk the same order. Pure: the caller passes the
user's history (from `bot.storage.repositories.tips`) and gets a tip back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from bot.core.content import Tip
from bot.storage.records import SeenTip

_NEVER = datetime.min.replace(tzinfo=UTC)


def choose_tip(
    tips: Sequence[Tip],
    history: Mapping[str, SeenTip],
    *,
    exclude: str | None = None,
) -> Tip | None:
    """The tip seen the fewest times, then the one seen longest ago, then bank order.

    "Fewest times" is what makes the promise hold: while any tip has been seen less often than
    another, a more-seen one cannot come up, so nobody gets a repeat before seeing them all.
    `exclude` skips the tip just shown ("Another tip" must not show the same one again) unless
    it is the only tip there is.
    """
    if not tips:
        return None
    candidates = [tip for tip in tips if tip.id != exclude] or list(tips)

    def order(indexed: tuple[int, Tip]) -> tuple[int, datetime, int]:
        position, tip = indexed
        seen = history.get(tip.id)
        if seen is None:
            return (0, _NEVER, position)
        return (seen.times_seen, seen.last_seen_at, position)

    return min(enumerate(candidates), key=order)[1]


def count_unseen(tips: Sequence[Tip], history: Mapping[str, SeenTip]) -> int:
    """Tips in the bank this user has never seen (for "n new tips left")."""
    return sum(1 for tip in tips if tip.id not in history)
