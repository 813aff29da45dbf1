"""The delivery ledger: batch claims before sending, batch results after.

A claim is an INSERT on the (user_id, local_date) primary key with ON CONFLICT DO NOTHING: a row
that already exists (sent, in doubt, failed, or claimed by another pass) cannot be claimed again,
so a tip goes out at most once per local day whatever crashes or runs twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from sqlalchemy import Connection, Table, and_, bindparam, delete, func, select, tuple_, update

from bot.core.delivery import LedgerStatus
from bot.storage.models import TipDelivery
from bot.storage.repositories import subscriptions
from bot.storage.upsert import insert_for


@dataclass(frozen=True, slots=True)
class Claim:
    user_id: int
    local_date: date
    tip_id: str


@dataclass(frozen=True, slots=True)
class Result:
    """How one claimed send ended; `status` is one of the ledger statuses."""

    user_id: int
    local_date: date
    tip_id: str
    status: LedgerStatus
    attempts: int
    message_id: int | None = None


def claim_many(connection: Connection, claims: Sequence[Claim], now: datetime) -> set[int]:
    """Insert claims in one statement; return the users whose claim won (the rest had a row)."""
    if not claims:
        return set()
    rows = [
        {
            "user_id": claim.user_id,
            "local_date": claim.local_date,
            "tip_id": claim.tip_id,
            "status": LedgerStatus.CLAIMED,
            "claimed_at": now,
            "attempts": 0,
        }
        for claim in claims
    ]
    statement = (
        insert_for(connection, TipDelivery)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["user_id", "local_date"])
        .returning(TipDelivery.user_id)
    )
    return set(connection.scalars(statement).all())


def record_many(connection: Connection, results: Sequence[Result], now: datetime) -> None:
    """Write outcomes of claimed rows: one executemany UPDATE, only rows still claimed."""
    if not results:
        return
    table = cast(Table, TipDelivery.__table__)
    statement = (
        update(table)
        .where(
            table.c.user_id == bindparam("b_user_id"),
            table.c.local_date == bindparam("b_local_date"),
            table.c.status == LedgerStatus.CLAIMED,
        )
        .values(
            status=bindparam("b_status"),
            attempts=bindparam("b_attempts"),
            message_id=bindparam("b_message_id"),
            finished_at=now,
        )
    )
    connection.execute(
        statement,
        [
            {
                "b_user_id": result.user_id,
                "b_local_date": result.local_date,
                "b_status": result.status,
                "b_attempts": result.attempts,
                "b_message_id": result.message_id,
            }
            for result in results
        ],
    )


def resolve_orphans(
    connection: Connection, claimed_before: datetime, now: datetime
) -> list[Claim]:
    """Claims left by a pass that died: mark them in doubt (never resend) and return them."""
    statement = (
        update(TipDelivery)
        .where(TipDelivery.status == LedgerStatus.CLAIMED, TipDelivery.claimed_at < claimed_before)
        .values(status=LedgerStatus.IN_DOUBT, finished_at=now)
        .returning(TipDelivery.user_id, TipDelivery.local_date, TipDelivery.tip_id)
    )
    return [Claim(*row) for row in connection.execute(statement)]


def release(connection: Connection, claims: Sequence[Claim], now: datetime) -> None:
    """Undo claims that were never attempted (a pass stopped cleanly): delete the ledger rows
    and make the subscribers due again, so the next pass sends them today."""
    if not claims:
        return
    keys = [(claim.user_id, claim.local_date) for claim in claims]
    connection.execute(
        delete(TipDelivery).where(
            tuple_(TipDelivery.user_id, TipDelivery.local_date).in_(keys),
            TipDelivery.status == LedgerStatus.CLAIMED,
        )
    )
    subscriptions.reschedule_many(connection, {claim.user_id: now for claim in claims})


def prune(connection: Connection, before: date) -> int:
    """Forget ledger rows older than `before` (only the last day or two guard uniqueness)."""
    result = connection.execute(delete(TipDelivery).where(TipDelivery.local_date < before))
    return int(getattr(result, "rowcount", 0) or 0)


_IN_FLIGHT = select(TipDelivery.tip_id).where(
    TipDelivery.user_id == bindparam("user_id"), TipDelivery.status == LedgerStatus.CLAIMED
)


def in_flight_tips(connection: Connection, user_id: int) -> set[str]:
    """Tips claimed for this user's daily message and not yet recorded as sent or failed."""
    return set(connection.scalars(_IN_FLIGHT, {"user_id": user_id}))


def status_of(connection: Connection, user_id: int, local_date: date) -> str | None:
    return connection.scalar(
        select(TipDelivery.status).where(
            and_(TipDelivery.user_id == user_id, TipDelivery.local_date == local_date)
        )
    )


def status_counts(connection: Connection) -> Counter[str]:
    """Ledger rows per status (for tests, the CLI and the benchmark)."""
    rows = connection.execute(
        select(TipDelivery.status, func.count()).group_by(TipDelivery.status)
    )
    return Counter({status: int(count) for status, count in rows})


def statuses(connection: Connection) -> dict[int, list[str]]:
    """User -> statuses of all their ledger rows (tests check "one per day" with this)."""
    found: dict[int, list[str]] = {}
    for user_id, status in connection.execute(select(TipDelivery.user_id, TipDelivery.status)):
        found.setdefault(user_id, []).append(status)
    return found
