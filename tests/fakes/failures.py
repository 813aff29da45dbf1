"""Failure injection: scripted errors, slow answers and a flood-control token bucket.

Real Telegram answers 429 under load, 403 for users who blocked the bot, 5xx now and then, and
sometimes answers so slowly that the client times out although the message was delivered. Tests
use these to prove the bot copes; benchmarks use the token bucket to prove a sender keeps to the
~30 messages/s budget.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from dataclasses import dataclass

from tests.fakes.validation import ApiError

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: injected failure",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; make sure that only one bot "
    "instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


@dataclass(slots=True)
class InjectedFailure:
    """One scripted error answer."""

    code: int
    description: str
    retry_after: int | None

    def to_error(self) -> ApiError:
        parameters = {"retry_after": self.retry_after} if self.retry_after is not None else None
        return ApiError(self.code, self.description, parameters)


def make_failure(error_code: int, retry_after: int, description: str | None) -> InjectedFailure:
    """Telegram-shaped error: 429 carries ``parameters.retry_after`` and says so in the text."""
    if error_code == 429:
        text = description or f"Too Many Requests: retry after {retry_after}"
        return InjectedFailure(429, text, retry_after)
    text = description or _DEFAULT_DESCRIPTIONS.get(error_code, f"Error {error_code}")
    return InjectedFailure(error_code, text, None)


class TokenBucket:
    """Global flood control: ``rate`` tokens per second, bursts of up to ``burst``."""

    def __init__(self, rate: float, burst: float | None = None) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.capacity = burst if burst is not None else max(rate, 1.0)
        self.tokens = self.capacity
        self.updated = time.monotonic()

    def take(self, now: float) -> int | None:
        """Take one token, or return Telegram's integer retry_after (at least 1 s)."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return None
        return max(1, math.ceil((1.0 - self.tokens) / self.rate))


class FailurePlan:
    """All injected misbehaviour, keyed by lower-case method name."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: dict[str, deque[InjectedFailure]] = {}
        self._delays: dict[str, deque[float]] = {}
        self.bucket: TokenBucket | None = None
        self.rate_limited = 0

    def fail_next(self, method: str, failure: InjectedFailure, count: int) -> None:
        with self._lock:
            self._failures.setdefault(method.lower(), deque()).extend([failure] * count)

    def delay(self, method: str, seconds: float, count: int) -> None:
        with self._lock:
            self._delays.setdefault(method.lower(), deque()).extend([seconds] * count)

    def set_rate_cap(self, rate: float | None, burst: float | None = None) -> None:
        with self._lock:
            self.bucket = TokenBucket(rate, burst) if rate else None

    def reset(self) -> None:
        with self._lock:
            self._failures.clear()
            self._delays.clear()
            self.bucket = None
            self.rate_limited = 0

    def take_failure(self, method: str) -> ApiError | None:
        if not self._failures:  # fast path, no lock
            return None
        with self._lock:
            queue = self._failures.get(method.lower())
            if not queue:
                return None
            failure = queue.popleft()
            if not queue:
                del self._failures[method.lower()]
            return failure.to_error()

    def take_delay(self, method: str) -> float:
        if not self._delays:
            return 0.0
        with self._lock:
            queue = self._delays.get(method.lower())
            if not queue:
                return 0.0
            seconds = queue.popleft()
            if not queue:
                del self._delays[method.lower()]
            return seconds

    def check_rate(self) -> ApiError | None:
        """429 when the global send budget is exhausted (only when a cap is set)."""
        if self.bucket is None:
            return None
        with self._lock:
            if self.bucket is None:
                return None
            retry_after = self.bucket.take(time.monotonic())
            if retry_after is None:
                return None
            self.rate_limited += 1
        return make_failure(429, retry_after, None).to_error()
