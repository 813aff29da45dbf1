"""Daily-tip delivery rules as data: how a send can end, the ledger's states, a pass's knobs.

The pass that applies them is `bot.delivery.daily_pass`; the transactions are
`bot.flows.delivery`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum, StrEnum

LEDGER_RETENTION = timedelta(days=14)


class LedgerStatus(StrEnum):
    """A ledger row's state. "claimed": a pass took the row and is sending; "in_doubt": the send
    may or may not have arrived (a timeout, or the pass died mid-send), so it is never retried."""

    CLAIMED = "claimed"
    SENT = "sent"
    IN_DOUBT = "in_doubt"
    FAILED = "failed"
    BLOCKED = "blocked"


class SendStatus(Enum):
    SENT = "sent"
    RETRY_AFTER = "retry_after"  # 429 even after the rate limiter's retries: not delivered
    BLOCKED = "blocked"  # 403: the user blocked the bot
    TIMED_OUT = "timed_out"  # no answer: it may have arrived
    NETWORK_ERROR = "network_error"  # the request certainly never left (no connection)
    REJECTED = "rejected"  # 400 and friends: retrying would not help


@dataclass(frozen=True, slots=True)
class SendOutcome:
    status: SendStatus
    retry_after: float = 0.0
    message_id: int | None = None


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """Knobs of a pass. Defaults suit Telegram's ~30 msg/s bulk limit.

    `rate_limit` is the pace the bot's rate limiter will allow daily tips (it does the pacing,
    and owns 429s); the pass only sizes its batches and sends in flight from it.
    """

    rate_limit: float = 25.0
    network_attempts: int = 3  # sends tried on network errors before giving up for the day
    backoff_base: float = 1.0  # seconds; doubles per network failure
    claim_lease: timedelta = timedelta(minutes=10)  # older "claimed" rows belong to a dead pass
    batch_size: int | None = None  # claims per transaction; default ~0.1 s of sending
    # Sends in flight; the default covers ~0.5 s of latency. Capped at 32 because httpcore's
    # pool bookkeeping grows with pool size x queued requests (bench/daily_tips.py shows the cost).
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
    deferred: int = 0  # still 429 after the limiter's retries: given back for the next pass
    send_seconds: float = 0.0  # from the first send to the last outcome
    first_send_at: float | None = field(default=None, repr=False)

    @property
    def attempted(self) -> int:
        return self.sent + self.failed + self.blocked + self.in_doubt + self.deferred

    def summary(self) -> str:
        return (
            f"sent {self.sent}, skipped {self.skipped}, failed {self.failed}, "
            f"blocked {self.blocked}, in doubt {self.in_doubt} "
            f"(of which {self.recovered} from an interrupted earlier pass), "
            f"deferred {self.deferred}"
        )
