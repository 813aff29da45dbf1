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

from sqlalchemy import Connection, bindparam, func, select, tuple_, update

from bot.core.delivery import LedgerStatus
from bot.storage.repositories import subscriptions
from bot.storage.tables import TIP_DELIVERIES as LEDGER
from bot.storage.upsert import for_dialects

# ------------------------------------------------------------------ statements, built at import
# The claim's rows are given per call with `.values(rows)`: one multi-row INSERT whose
# RETURNING says which claims won.
_CLAIM = for_dialects(
    lambda insert: (
        insert(LEDGER)
        .on_conflict_do_nothing(index_elements=["user_id", "local_date"])
        .returning(LEDGER.c.user_id)
    )
)
_RECORD = (
    update(LEDGER)
    .where(
        LEDGER.c.user_id == bindparam("b_user_id"),
        LEDGER.c.local_date == bindparam("b_local_date"),
        LEDGER.c.status == LedgerStatus.CLAIMED,
    )
    .values(
        status=bindparam("b_status"),
        attempts=bindparam("b_attempts"),
        message_id=bindparam("b_message_id"),
        finished_at=bindparam("b_now"),
    )
)
_RESOLVE_ORPHANS = (
    update(LEDGER)
    .where(
        LEDGER.c.status == LedgerStatus.CLAIMED, LEDGER.c.claimed_at < bindparam("claimed_before")
    )
    .values(status=LedgerStatus.IN_DOUBT, finished_at=bindparam("o_now"))
    .returning(LEDGER.c.user_id, LEDGER.c.local_date, LEDGER.c.tip_id)
)
_RELEASE = LEDGER.delete().where(
    tuple_(LEDGER.c.user_id, LEDGER.c.local_date).in_(bindparam("keys", expanding=True)),
    LEDGER.c.status == LedgerStatus.CLAIMED,
)
_PRUNE = LEDGER.delete().where(LEDGER.c.local_date < bindparam("before"))
_IN_FLIGHT = select(LEDGER.c.tip_id).where(
    LEDGER.c.user_id == bindparam("user_id"), LEDGER.c.status == LedgerStatus.CLAIMED
)
_STATUS_COUNTS = select(LEDGER.c.status, func.count()).group_by(LEDGER.c.status)


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
    statement = _CLAIM.of(connection).values(rows)
    return set(connection.scalars(statement).all())


def record_many(connection: Connection, results: Sequence[Result], now: datetime) -> None:
    """Write outcomes of claimed rows: one executemany UPDATE, only rows still claimed."""
    if not results:
        return
    connection.execute(
        _RECORD,
        [
            {
                "b_user_id": result.user_id,
                "b_local_date": result.local_date,
                "b_status": result.status,
                "b_attempts": result.attempts,
                "b_message_id": result.message_id,
                "b_now": now,
            }
            for result in results
        ],
    )


def resolve_orphans(
    connection: Connection, claimed_before: datetime, now: datetime
) -> list[Claim]:
    """Claims left by a pass that died: mark them in doubt (never resend) and return them."""
    rows = connection.execute(_RESOLVE_ORPHANS, {"claimed_before": claimed_before, "o_now": now})
    return [Claim(*row) for row in rows]


def release(connection: Connection, claims: Sequence[Claim], now: datetime) -> None:
    """Undo claims that were never attempted (a pass stopped cleanly): delete the ledger rows
    and make the subscribers due again, so the next pass sends them today."""
    if not claims:
        return
    keys = [(claim.user_id, claim.local_date) for claim in claims]
    connection.execute(_RELEASE, {"keys": keys})
    subscriptions.reschedule_many(connection, {claim.user_id: now for claim in claims})


def prune(connection: Connection, before: date) -> int:
    """Forget ledger rows older than `before` (only the last day or two guard uniqueness)."""
    result = connection.execute(_PRUNE, {"before": before})
    return int(getattr(result, "rowcount", 0) or 0)


def in_flight_tips(connection: Connection, user_id: int) -> set[str]:
    """Tips claimed for this user's daily message and not yet recorded as sent or failed."""
    return set(connection.scalars(_IN_FLIGHT, {"user_id": user_id}))


def status_counts(connection: Connection) -> Counter[str]:
    """Ledger rows per status (/stats, the CLI and the benchmark)."""
    rows = connection.execute(_STATUS_COUNTS)
    return Counter({status: int(count) for status, count in rows})
