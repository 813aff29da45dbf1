"""One delivery pass of daily tips: claim -> send -> record, exactly once.

How a pass works (`run_pass`):

1. Claims left "claimed" by a pass that died longer ago than the lease become "in doubt": the
   message may have gone out, so it is never sent again.
2. Repeatedly, in one transaction: take the next few due subscribers (oldest instant first),
   decide for each (send today's tip, or wait for today's time, or skip an unreachable user),
   pick the tip (unseen first), INSERT the claims on the ledger's (user, local date) key, and move
   every subscriber's `next_due_at` forward. Only claims that won the insert are sent.
3. Each claimed tip is sent through a `TipSender` (the only thing that knows Telegram); the
   bot's rate limiter (`bot/telegram/rate_limiter.py`) paces it as a bulk send behind replies.
   Outcomes are written back in small batches as they arrive.

Outcomes: sent; timed out, or a network error after the request may have left -> in doubt
(never resent); 429 -> the rate limiter pauses everyone for retry_after and tries again; if it
still gets 429 the claim is given back when the pass ends, so the next pass sends it today; a
connection that was never made -> retried with backoff a few times, then given up for the day;
403 -> the user is marked unreachable. Anything unexpected counts as in
doubt, because "maybe sent" must never become "sent twice".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time as time_module
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from bot.core.content import ContentBank, Tip
from bot.core.delivery import DeliveryPolicy, LedgerStatus, PassReport, SendOutcome, SendStatus
from bot.flows.delivery import ClaimedBatch, claim_batch, record_results, recover, release
from bot.storage.database import Database
from bot.storage.repositories.deliveries import Claim, Result

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


class TipSender(Protocol):
    """Sends one daily tip to one user and reports how it went; never raises for API errors."""

    async def send_tip(self, user_id: int, tip: Tip) -> SendOutcome: ...


@dataclass
class _Attempt:
    """Counters for one message while it is being sent."""

    sends: int = 0
    network_failures: int = 0


class DeliveryPass:
    """One run over everyone due now; create a new one per run (it holds per-run state)."""

    def __init__(
        self,
        database: Database,
        bank: ContentBank,
        sender: TipSender,
        *,
        clock: Callable[[], datetime],
        default_zone: ZoneInfo,
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
        self.report = PassReport()
        self._results: list[Result] = []
        self._recorder: asyncio.Task[None] | None = None
        self._waiting: list[Claim] = []  # claimed, not yet handed to a send
        self._deferred: list[Claim] = []  # 429 to the end: given back when the pass ends

    async def deliver(self) -> PassReport:
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
            await self._give_back_deferred()
        if self.report.first_send_at is not None:
            self.report.send_seconds = self.monotonic() - self.report.first_send_at
        return self.report

    async def _claim_and_dispatch(
        self, sends: set[asyncio.Task[None]], slots: asyncio.Semaphore
    ) -> None:
        """Claim small batches and hand each claim to a send as soon as a slot is free.

        The next batch is claimed as soon as the last claim of this one has a slot, while its
        send waits for the rate limiter, so the database round trip never leaves the budget
        unused.
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
                # Slots bound the claims that are in a send (waiting for the rate limiter or on
                # the wire): those become "in doubt" if the process dies.
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
        """Send; the slot is freed once the outcome is recorded (by `_drain`), so the claims a
        dead process leaves unrecorded never exceed one batch plus the slots."""
        try:
            result = await self._deliver(claim)
        except BaseException:
            slots.release()
            raise
        if result is None:
            slots.release()
            self._deferred.append(claim)
            self.report.deferred += 1
            return
        self._count(result)
        self._results.append(result)
        if self._recorder is None or self._recorder.done():
            self._recorder = asyncio.create_task(self._drain(slots))

    async def _deliver(self, claim: Claim) -> Result | None:
        """Send one claimed tip, applying the retry rules; None: give the claim back (429)."""
        tip = self.bank.tip(claim.tip_id)
        attempt = _Attempt()
        if tip is None:  # the bank changed under a claim: nothing sensible to send
            return self._result(claim, LedgerStatus.FAILED, attempt)
        while True:
            if self.report.first_send_at is None:
                self.report.first_send_at = self.monotonic()
            attempt.sends += 1
            try:
                outcome = await self.sender.send_tip(claim.user_id, tip)
            except Exception:
                log.exception("tip sender failed unexpectedly; treating the send as in doubt")
                return self._result(claim, LedgerStatus.IN_DOUBT, attempt)
            if outcome.status is SendStatus.RETRY_AFTER:
                return None  # certainly not delivered; the limiter already waited and retried
            status = await self._after(outcome, attempt)
            if status is not None:
                return self._result(claim, status, attempt, outcome.message_id)

    async def _after(self, outcome: SendOutcome, attempt: _Attempt) -> LedgerStatus | None:
        """The ledger status for an outcome, or None to try the same message again."""
        match outcome.status:
            case SendStatus.SENT:
                return LedgerStatus.SENT
            case SendStatus.TIMED_OUT:
                return LedgerStatus.IN_DOUBT
            case SendStatus.BLOCKED:
                return LedgerStatus.BLOCKED
            case SendStatus.REJECTED:
                return LedgerStatus.FAILED
            case SendStatus.RETRY_AFTER:  # `_deliver` gives these claims back instead
                raise ValueError("a 429 outcome has no ledger status")
            case SendStatus.NETWORK_ERROR:
                attempt.network_failures += 1
                if attempt.network_failures >= self.policy.network_attempts:
                    return LedgerStatus.FAILED
                await self.sleep(self.policy.backoff_base * 2 ** (attempt.network_failures - 1))
                return None

    @staticmethod
    def _result(
        claim: Claim, status: LedgerStatus, attempt: _Attempt, message_id: int | None = None
    ) -> Result:
        return Result(
            claim.user_id, claim.local_date, claim.tip_id, status, attempt.sends, message_id
        )

    def _count(self, result: Result) -> None:
        if result.status == LedgerStatus.SENT:
            self.report.sent += 1
        elif result.status == LedgerStatus.IN_DOUBT:
            self.report.in_doubt += 1
        elif result.status == LedgerStatus.BLOCKED:
            self.report.blocked += 1
        else:
            self.report.failed += 1

    async def _drain(self, slots: asyncio.Semaphore | None = None) -> None:
        """Write outcomes in batches: whatever accumulated while the last write ran; then free
        the batch's send slots."""
        while self._results:
            batch, self._results = self._results, []
            try:
                await self.database.run(self._record(batch, self.clock()))
            finally:
                if slots is not None:
                    for _ in batch:
                        slots.release()

    @staticmethod
    def _record(batch: list[Result], now: datetime) -> Callable[[Connection], None]:
        return lambda connection: record_results(connection, batch, now)

    async def _flush(self) -> None:
        while self._recorder is not None and not self._recorder.done():
            await self._recorder
        if self._results:
            await self._drain()

    async def _give_back_deferred(self) -> None:
        """Release claims that met 429 to the end: the next pass (not this one) sends them."""
        deferred, self._deferred = self._deferred, []
        if deferred:
            now = self.clock()
            await self.database.run(lambda s: release(s, deferred, now))

    async def _stop_cleanly(self, sends: set[asyncio.Task[None]]) -> None:
        """On shutdown: give back claims never attempted, so the next pass sends them today.

        Sends already in flight are left to finish (their outcomes are recorded by `_flush`).
        """
        unsent, self._waiting = self._waiting, []
        if sends:
            await asyncio.gather(*sends, return_exceptions=True)
        now = self.clock()
        with contextlib.suppress(Exception):
            await self.database.run(lambda s: release(s, unsent, now))


async def run_pass(
    database: Database,
    bank: ContentBank,
    sender: TipSender,
    *,
    clock: Callable[[], datetime],
    default_zone: ZoneInfo,
    policy: DeliveryPolicy | None = None,
) -> PassReport:
    """Run one pass with real time; see `DeliveryPass` for the injectable version."""
    delivery = DeliveryPass(
        database, bank, sender, clock=clock, default_zone=default_zone, policy=policy
    )
    return await delivery.deliver()
