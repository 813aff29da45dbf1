"""Tips seen per user: the history behind unseen-first selection (/tip and daily tips)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select

from bot.core.records import SeenTip
from bot.storage.tables import TIPS_SEEN
from bot.storage.upsert import InsertFactory, for_dialects


# ------------------------------------------------------------------ statements, built at import
def _mark_seen(insert: InsertFactory) -> Any:
    """Count one more view of a (user, tip); executed once per row (executemany)."""
    statement = insert(TIPS_SEEN).values(
        user_id=bindparam("user_id"),
        tip_id=bindparam("tip_id"),
        times_seen=1,
        last_seen_at=bindparam("now"),
    )
    return statement.on_conflict_do_update(
        index_elements=["user_id", "tip_id"],
        set_={
            "times_seen": TIPS_SEEN.c.times_seen + 1,
            "last_seen_at": statement.excluded.last_seen_at,
        },
    )


_MARK_SEEN = for_dialects(_mark_seen)
# One user's rows by equality: /tip runs this on every call, and an expanding IN (...) list
# would be compiled anew each time.
_HISTORY = select(TIPS_SEEN.c.tip_id, TIPS_SEEN.c.times_seen, TIPS_SEEN.c.last_seen_at).where(
    TIPS_SEEN.c.user_id == bindparam("user_id")
)
# A delivery pass's batch of users; `user_ids` expands to IN (...) when executed.
_HISTORIES = select(
    TIPS_SEEN.c.user_id, TIPS_SEEN.c.tip_id, TIPS_SEEN.c.times_seen, TIPS_SEEN.c.last_seen_at
).where(TIPS_SEEN.c.user_id.in_(bindparam("user_ids", expanding=True)))


def history(connection: Connection, user_id: int) -> dict[str, SeenTip]:
    """Tip id -> how often and when this user last saw it."""
    rows = connection.execute(_HISTORY, {"user_id": user_id})
    return {tip_id: SeenTip(times, last) for tip_id, times, last in rows}


def histories(connection: Connection, user_ids: Sequence[int]) -> dict[int, dict[str, SeenTip]]:
    """The same for a batch of users in one query (a delivery pass claims dozens at once)."""
    found: dict[int, dict[str, SeenTip]] = {user_id: {} for user_id in user_ids}
    if not user_ids:
        return found
    rows = connection.execute(_HISTORIES, {"user_ids": list(user_ids)})
    for user_id, tip_id, times_seen, last_seen_at in rows:
        found[user_id][tip_id] = SeenTip(times_seen, last_seen_at)
    return found


def mark_seen(connection: Connection, user_id: int, tip_id: str, now: datetime) -> None:
    mark_seen_many(connection, [(user_id, tip_id)], now)


def mark_seen_many(connection: Connection, seen: Iterable[tuple[int, str]], now: datetime) -> None:
    """Count one more view of each (user, tip), the same pair once however often it is given."""
    rows = [
        {"user_id": user_id, "tip_id": tip_id, "now": now}
        for user_id, tip_id in dict.fromkeys(seen)
    ]
    if rows:
        connection.execute(_MARK_SEEN.of(connection), rows)
