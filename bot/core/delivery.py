"""One delivery pass of daily tips: claim -> send -> record, at a global rate, exactly once.

How a pass works (`run_pass`):

1. Claims left "claimed" by a pass that died longer ago than the lease become "in doubt": the
   message may have gone out, so it is never sent again.
2. Repeatedly, in one transaction: take the next few due subscribers (oldest instant first),
   decide for each (send today's tip, or wait for today's time, or skip an unreachable user),
   pick the tip (unseen first), INSERT the claims on the ledger's (user, local date) key, and move
   every subscriber's `next_due_at` forward. Only claims that won the insert are sent.
3. Each claimed tip is sent through a `TipSender` (the only thing that knows Telegram) once the
   token bucket allows; outcomes are written back in small batches as they arrive.

Outcomes: sent; timed out, or a network error after the request may have left -> in doubt
(never resent); 429 -> everyone pauses for retry_after, then the same message is tried again; a
connection that was never made -> retried with backoff a few times, then given up for the day;
403 -> the user is marked unreachable. Anything unexpected counts as in
doubt, because "maybe sent" must never become "sent twice".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time as time_module
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from bot.core import local_time
from bot.core.content import ContentBank, Tip
from bot.core.tips import choose_tip
from bot.storage.database import Database
from bot.storage.models.tips import BLOCKED, FAILED, IN_DOUBT, SENT
from bot.storage.repositories import deliveries, subscriptions, tips, users
from bot.storage.repositories.deliveries import Claim, Result

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
LEDGER_RETENTION = timedelta(days=14)
_EPSILON = 1e-9


class SendStatus(Enum):
    SENT = "sent"
    RETRY_AFTER = "retry_after"  # 429: not delivered, wait and try again
    BLOCKED = "blocked"  # 403: the user blocked the bot
    TIMED_OUT = "timed_out"  # no answer: it may have arrived
    NETWORK_ERROR = "network_error"  # the request certainly never left (no connection)
    REJECTED = "rejected"  # 400 and friends: retrying would not help


@dataclass(frozen=True, slots=True)
class SendOutcome:
    status: SendStatus
    retry_after: float = 0.0
    message_id: int | None = None


class TipSender(Protocol):
    """Sends one daily tip to one user and reports how it went; never raises for API errors."""

    async def send_tip(self, user_id: int, tip: Tip) -> SendOutcome: ...


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """Knobs of a pass. Defaults suit Telegram's ~30 msg/s bulk limit."""

    rate_limit: float = 25.0
    network_attempts: int = 3  # sends tried on network errors before giving up for the day
    backoff_base: float = 1.0  # seconds; doubles per network failure
    max_flood_waits: int = 5  # 429s tolerated for one message before giving up for the day
    claim_lease: timedelta = timedelta(minutes=10)  # older "claimed" rows belong to a dead pass
    batch_size: int | None = None  # claims per transaction; default ~0.1 s of sending
    # Sends in flight; the default covers ~0.5 s of latency. Capped at 32 because httpcore's
    # pool bookkeeping grows with pool size x queued requests (measured: 100 halves throughput).
    concurrency: int | None = None
    max_messages: int | None = None  # stop after this many claims (benchmarks, operators)

    def claims_per_batch(self) -> int:
        return self.batch_size or max(1, min(100, math.ceil(self.rate_limit / 10)))

    def sends_in_flight(self) -> int:
        return self.concurrency or max(4, min(32, math.ceil(self.rate_limit / 2)))


@dataclass
class PassReport:
    """What one pass did; `recovered` counts earlier passes' claims it resolved as in doubt."""

    sent: int = 0
    skipped: int = 0
    failed: int = 0
    blocked: int = 0
    in_doubt: int = 0
    recovered: int = 0
    send_seconds: float = 0.0  # from the first send to the last outcome
    first_send_at: float | None = field(default=None, repr=False)

    @property
    def attempted(self) -> int:
        return self.sent + self.failed + self.blocked + self.in_doubt

    def summary(self) -> str:
        return (
            f"sent {self.sent}, skipped {self.skipped}, failed {self.failed}, "
            f"blocked {self.blocked}, in doubt {self.in_doubt} "
            f"(of which {self.recovered} from an interrupted earlier pass)"
        )


class TokenBucket:
    """A global send budget: `rate` per second, bursts up to `burst`, and a shared pause.

    One bucket serves every concurrent send of a pass, so the rate holds across all users; a 429
    empties it and pauses everyone until Telegram's retry_after has passed.
    """

    def __init__(
        self,
        rate: float,
        burst: float | None = None,
        *,
        monotonic: Callable[[], float] = time_module.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.capacity = burst if burst is not None else max(1.0, rate / 10)
        self._monotonic = monotonic
        self._sleep = sleep
        self._tokens = 1.0  # start gently: no burst right after a pause or start-up
        self._updated = monotonic()
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        """Wait until one message may be sent (first come, first served)."""
        async with self._lock:
            while True:
                now = self._monotonic()
                if now < self._paused_until:
                    await self._sleep(self._paused_until - now)
                    continue
                self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
                self._updated = now
                if self._tokens >= 1.0 - _EPSILON:  # float sums like 0.999... count as whole
                    self._tokens = max(0.0, self._tokens - 1.0)
                    return
                await self._sleep((1.0 - self._tokens) / self.rate)

    def pause(self, seconds: float) -> None:
        """Stop all sending for `seconds` (Telegram's retry_after) and restart without a burst."""
        now = self._monotonic()
        self._paused_until = max(self._paused_until, now + seconds)
        self._tokens = 0.0
        self._updated = self._paused_until


# ------------------------------------------------------------------------------------ claims


@dataclass(frozen=True, slots=True)
class ClaimedBatch:
    claims: list[Claim]
    skipped: int
    exhausted: bool  # fewer due rows than asked for: nothing else is due right now


def claim_batch(
    connection: Connection, *, now: datetime, limit: int, bank: ContentBank, default_zone: str
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
    for user_id, _, zone in wanted:
        tip = choose_tip(bank.tips, histories[user_id])
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
        if r.status in (SENT, IN_DOUBT) and r.user_id in present
    ]
    tips.mark_seen_many(connection, seen, now)
    for result in results:
        if result.status == BLOCKED:
            users.set_reachable(connection, result.user_id, False)


def recover(connection: Connection, now: datetime, lease: timedelta) -> int:
    """Resolve a dead pass's claims as in doubt, and prune old ledger rows; returns how many."""
    orphans = deliveries.resolve_orphans(connection, now - lease, now)
    tips.mark_seen_many(connection, [(c.user_id, c.tip_id) for c in orphans], now)
    deliveries.prune(connection, (now - LEDGER_RETENTION).date())
    return len(orphans)


# -------------------------------------------------------------------------------- the pass


@dataclass
class _Attempt:
    """Counters for one message while it is being sent."""

    sends: int = 0
    network_failures: int = 0
    flood_waits: int = 0


class DeliveryPass:
    """One run over everyone due now; create a new one per run (it holds per-run state)."""

    def __init__(
        self,
        database: Database,
        bank: ContentBank,
        sender: TipSender,
        *,
        clock: Callable[[], datetime],
        default_zone: str,
        policy: DeliveryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
        monotonic: Callable[[], float] = time_module.monotonic,
    ) -> None:
        self.database = database
        self.bank = bank
        self.sender = sender
        self.clock = clock
        self.default_zone = default_zone
        self.policy = policy or DeliveryPolicy()
        self.sleep = sleep
        self.monotonic = monotonic
        self.limiter = TokenBucket(self.policy.rate_limit, monotonic=monotonic, sleep=sleep)
        self.report = PassReport()
        self._results: list[Result] = []
        self._recorder: asyncio.Task[None] | None = None
        self._waiting: list[Claim] = []  # claimed, not yet handed to a send

    async def run(self) -> PassReport:
        """Resolve a dead pass's leftovers, then claim and send until nobody is due."""
        now = self.clock()
        lease = self.policy.claim_lease
        self.report.recovered = await self.database.run(lambda s: recover(s, now, lease))
        self.report.in_doubt += self.report.recovered
        sends: set[asyncio.Task[None]] = set()
        slots = asyncio.Semaphore(self.policy.sends_in_flight())
        try:
            await self._claim_and_dispatch(sends, slots)
            if sends:
                await asyncio.gather(*sends)
        except asyncio.CancelledError:
            await asyncio.shield(self._stop_cleanly(sends))
            raise
        finally:
            await self._flush()
        if self.report.first_send_at is not None:
            self.report.send_seconds = self.monotonic() - self.report.first_send_at
        return self.report

    async def _claim_and_dispatch(
        self, sends: set[asyncio.Task[None]], slots: asyncio.Semaphore
    ) -> None:
        """Claim small batches and hand each claim to a send as soon as a slot is free.

        The next batch is claimed as soon as the last claim of this one has its token, while its
        send is still on the wire, so the database round trip never leaves the budget unused.
        """
        budget = self.policy.max_messages
        while budget is None or budget > 0:
            limit = self.policy.claims_per_batch()
            if budget is not None:
                limit = min(limit, budget)
            batch = await self.database.run(self._claim(limit))
            self.report.skipped += batch.skipped
            self._waiting = list(batch.claims)
            if budget is not None:
                budget -= len(batch.claims)
            while self._waiting:
                # Token first, then a slot: a claim waits here, not inside a task, so only
                # messages really on the wire are "in flight" if the process dies.
                await self.limiter.acquire()
                await slots.acquire()
                claim = self._waiting.pop(0)
                task = asyncio.create_task(self._send_then_release(claim, slots))
                sends.add(task)
                task.add_done_callback(sends.discard)
            if batch.exhausted:
                return

    def _claim(self, limit: int) -> Callable[[Connection], ClaimedBatch]:
        now = self.clock()

        def work(connection: Connection) -> ClaimedBatch:
            return claim_batch(
                connection, now=now, limit=limit, bank=self.bank, default_zone=self.default_zone
            )

        return work

    async def _send_then_release(self, claim: Claim, slots: asyncio.Semaphore) -> None:
        try:
            result = await self._deliver(claim)
        finally:
            slots.release()
        self._count(result)
        self._results.append(result)
        if self._recorder is None or self._recorder.done():
            self._recorder = asyncio.create_task(self._drain())

    async def _deliver(self, claim: Claim) -> Result:
        """Send one claimed tip, applying the retry rules; always returns an outcome."""
        tip = self.bank.tip(claim.tip_id)
        attempt = _Attempt()
        if tip is None:  # the bank changed under a claim: nothing sensible to send
            return self._result(claim, FAILED, attempt)
        while True:
            if attempt.sends:  # the first send's token was taken by the dispatcher
                await self.limiter.acquire()
            if self.report.first_send_at is None:
                self.report.first_send_at = self.monotonic()
            attempt.sends += 1
            try:
                outcome = await self.sender.send_tip(claim.user_id, tip)
            except Exception:
                log.exception("tip sender failed unexpectedly; treating the send as in doubt")
                return self._result(claim, IN_DOUBT, attempt)
            status = await self._after(outcome, attempt)
            if status is not None:
                return self._result(claim, status, attempt, outcome.message_id)

    async def _after(self, outcome: SendOutcome, attempt: _Attempt) -> str | None:
        """The ledger status for an outcome, or None to try the same message again."""
        match outcome.status:
            case SendStatus.SENT:
                return SENT
            case SendStatus.TIMED_OUT:
                return IN_DOUBT
            case SendStatus.BLOCKED:
                return BLOCKED
            case SendStatus.REJECTED:
                return FAILED
            case SendStatus.RETRY_AFTER:
                attempt.flood_waits += 1
                self.limiter.pause(outcome.retry_after)
                return FAILED if attempt.flood_waits > self.policy.max_flood_waits else None
            case SendStatus.NETWORK_ERROR:
                attempt.network_failures += 1
                if attempt.network_failures >= self.policy.network_attempts:
                    return FAILED
                await self.sleep(self.policy.backoff_base * 2 ** (attempt.network_failures - 1))
                return None

    @staticmethod
    def _result(
        claim: Claim, status: str, attempt: _Attempt, message_id: int | None = None
    ) -> Result:
        return Result(
            claim.user_id, claim.local_date, claim.tip_id, status, attempt.sends, message_id
        )

    def _count(self, result: Result) -> None:
        if result.status == SENT:
            self.report.sent += 1
        elif result.status == IN_DOUBT:
            self.report.in_doubt += 1
        elif result.status == BLOCKED:
            self.report.blocked += 1
        else:
            self.report.failed += 1

    async def _drain(self) -> None:
        """Write outcomes in batches: whatever accumulated while the last write ran."""
        while self._results:
            batch, self._results = self._results, []
            await self.database.run(self._record(batch, self.clock()))

    @staticmethod
    def _record(batch: list[Result], now: datetime) -> Callable[[Connection], None]:
        return lambda connection: record_results(connection, batch, now)

    async def _flush(self) -> None:
        while self._recorder is not None and not self._recorder.done():
            await self._recorder
        if self._results:
            await self._drain()

    async def _stop_cleanly(self, sends: set[asyncio.Task[None]]) -> None:
        """On shutdown: give back claims never attempted, so the next pass sends them today.

        Sends already in flight are left to finish (their outcomes are recorded by `_flush`).
        """
        unsent, self._waiting = self._waiting, []
        if sends:
            await asyncio.gather(*sends, return_exceptions=True)
        now = self.clock()
        with contextlib.suppress(Exception):
            await self.database.run(lambda s: deliveries.release(s, unsent, now))


async def run_pass(
    database: Database,
    bank: ContentBank,
    sender: TipSender,
    *,
    clock: Callable[[], datetime],
    default_zone: str,
    policy: DeliveryPolicy | None = None,
) -> PassReport:
    """Run one pass with real time; see `DeliveryPass` for the injectable version."""
    delivery = DeliveryPass(
        database, bank, sender, clock=clock, default_zone=default_zone, policy=policy
    )
    return await delivery.run()
