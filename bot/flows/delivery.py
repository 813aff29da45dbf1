"""The daily-tip ledger's transactions: claim who is due, record outcomes, recover a dead pass."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from bot.core import local_time
from bot.core.content import ContentBank
from bot.core.delivery import LEDGER_RETENTION, LedgerStatus
from bot.core.tips import choose_tip
from bot.storage.repositories import deliveries, subscriptions, tips, users
from bot.storage.repositories.deliveries import Claim, Result


@dataclass(frozen=True, slots=True)
class ClaimedBatch:
    claims: list[Claim]
    skipped: int
    exhausted: bool  # fewer due rows than asked for: nothing else is due right now


def claim_batch(
    connection: Connection, *, now: datetime, limit: int, bank: ContentBank, default_zone: ZoneInfo
) -> ClaimedBatch:
    """Take up to `limit` due subscribers, decide, claim, and move their schedule forward."""
    due = subscriptions.due(connection, now, limit)
    next_due: dict[int, datetime] = {}
    wanted: list[tuple[int, datetime, ZoneInfo]] = []
    skipped = 0
    for row in due:
        zone = local_time.zone_of(row.timezone, default_zone)
        if not row.reachable:  # blocked: look again tomorrow; /start makes them reachable
            next_due[row.user_id] = local_time.next_due_after(row.send_time, zone, now)
            skipped += 1
            continue
        decision = local_time.decide(row.send_time, zone, now)
        next_due[row.user_id] = decision.next_due_at
        if decision.claim_date is None:
            skipped += 1  # a stale row from an earlier day: that day's tip is never sent late
            continue
        wanted.append((row.user_id, now, zone))
    claims = _pick_tips(connection, wanted, bank, now)
    skipped += len(wanted) - len(claims)
    won = deliveries.claim_many(connection, claims, now)
    skipped += len(claims) - len(won)  # already had a ledger row today
    subscriptions.reschedule_many(connection, next_due)
    return ClaimedBatch([c for c in claims if c.user_id in won], skipped, len(due) < limit)


def _pick_tips(
    connection: Connection,
    wanted: Sequence[tuple[int, datetime, ZoneInfo]],
    bank: ContentBank,
    now: datetime,
) -> list[Claim]:
    histories = tips.histories(connection, [user_id for user_id, _, _ in wanted])
    claims = []
    rotation = bank.tips_in_rotation(now.date())
    for user_id, _, zone in wanted:
        tip = choose_tip(rotation, histories[user_id])
        if tip is not None:
            claims.append(Claim(user_id, local_time.local_date(zone, now), tip.id))
    return claims


def record_results(connection: Connection, results: Sequence[Result], now: datetime) -> None:
    """Write outcomes; a maybe-delivered tip counts as seen; 403 makes the user unreachable."""
    deliveries.record_many(connection, results, now)
    # A user may have used /forget while their tip was in flight: nothing to mark for them.
    present = users.existing_ids(connection, {r.user_id for r in results})
    seen = [
        (r.user_id, r.tip_id)
        for r in results
        if r.status in (LedgerStatus.SENT, LedgerStatus.IN_DOUBT) and r.user_id in present
    ]
    tips.mark_seen_many(connection, seen, now)
    for result in results:
        if result.status == LedgerStatus.BLOCKED:
            users.set_reachable(connection, result.user_id, False)


def release(connection: Connection, unsent: Sequence[Claim], now: datetime) -> None:
    """Give back claims never attempted (a pass stopped cleanly), so the next pass sends them."""
    deliveries.release(connection, unsent, now)


def recover(connection: Connection, now: datetime, lease: timedelta) -> int:
    """Resolve a dead pass's claims as in doubt, and prune old ledger rows; returns how many."""
    orphans = deliveries.resolve_orphans(connection, now - lease, now)
    tips.mark_seen_many(connection, [(c.user_id, c.tip_id) for c in orphans], now)
    deliveries.prune(connection, (now - LEDGER_RETENTION).date())
    return len(orphans)


def anything_due(connection: Connection, now: datetime) -> bool:
    """Whether a pass would send anything now: `tips send-due` skips the Bot API when not."""
    return bool(subscriptions.due(connection, now, 1))
