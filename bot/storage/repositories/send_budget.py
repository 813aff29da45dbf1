"""The shared bulk-send budget: reserve the next n send slots of the one bot token, atomically.

One upsert both creates the row and moves its reservation clock forward:
`next_slot_at = max(next_slot_at, now) + n * interval`, and returns the new value with the
database's own clock. The caller owns the n slots that end there. Replicas therefore never
share a slot, and their combined rate is at most one send per interval, whatever their clocks
say: only the database's clock (`clock_timestamp()`) is ever compared. PostgreSQL only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, func
from sqlalchemy.dialects import postgresql

from bot.storage.tables import SEND_BUDGET
from bot.storage.types import UtcDateTime


def _reserve() -> Any:
    now = func.clock_timestamp().cast(UtcDateTime())
    span = bindparam("span", type_=postgresql.INTERVAL())
    statement = postgresql.insert(SEND_BUDGET).values(
        budget=bindparam("budget"), next_slot_at=now + span
    )
    return statement.on_conflict_do_update(
        index_elements=["budget"],
        set_={"next_slot_at": func.greatest(SEND_BUDGET.c.next_slot_at, now) + span},
    ).returning(SEND_BUDGET.c.next_slot_at, now)


_RESERVE = _reserve()


@dataclass(frozen=True, slots=True)
class Reservation:
    """`count` slots, `interval` apart, the last one starting at `ends_at - interval`."""

    ends_at: datetime
    database_now: datetime
    count: int
    interval: timedelta

    def delays(self) -> list[float]:
        """Seconds from `database_now` until each slot, earliest first (never negative)."""
        first = self.ends_at - self.count * self.interval
        return [
            max(0.0, (first + i * self.interval - self.database_now).total_seconds())
            for i in range(self.count)
        ]


def reserve(connection: Connection, budget: int, count: int, interval: timedelta) -> Reservation:
    """Take the next `count` slots of `budget` (one statement, row-locked by PostgreSQL)."""
    ends_at, database_now = connection.execute(
        _RESERVE, {"budget": budget, "span": count * interval}
    ).one()
    return Reservation(ends_at, database_now, count, interval)
