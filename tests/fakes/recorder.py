"""Thread-safe log of every request the fake answered, with blocking waits for tests.

Requests are indexed per method so ``calls()`` and ``wait_for()`` never scan the whole log; the
server appends under a lock and notifies waiters, which then only look at new entries.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Predicate = Callable[["RecordedRequest"], bool]


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One Bot API request.

    ``params`` are decoded like Telegram decodes them (ints, bools, JSON objects). ``time`` is
    ``time.monotonic()`` when the request was handled (CLOCK_MONOTONIC, so comparable across
    processes on Linux). ``status`` is the HTTP status that was answered; ``files`` maps multipart
    field names to ``(filename, size)``.
    """

    method: str
    params: dict[str, Any]
    chat_id: int | None
    time: float
    status: int = 200
    files: dict[str, tuple[str, int]] = field(default_factory=dict)
    description: str = ""  # the error's description, as Telegram words it, when not ok

    @property
    def ok(self) -> bool:
        return self.status == 200


class RequestLog:
    """Append-only request history plus counters for benchmarks."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._all: list[RecordedRequest] = []
        self._by_method: dict[str, list[RecordedRequest]] = {}
        self._counts: Counter[str] = Counter()
        self._statuses: Counter[int] = Counter()

    def append(self, request: RecordedRequest) -> None:
        with self._cond:
            self._all.append(request)
            self._by_method.setdefault(request.method.lower(), []).append(request)
            self._counts[request.method] += 1
            self._statuses[request.status] += 1
            self._cond.notify_all()

    def all(self) -> list[RecordedRequest]:
        with self._cond:
            return list(self._all)

    def calls(self, method: str) -> list[RecordedRequest]:
        with self._cond:
            return list(self._by_method.get(method.lower(), ()))

    def clear(self) -> None:
        with self._cond:
            self._all.clear()
            self._by_method.clear()
            self._counts.clear()
            self._statuses.clear()

    def counts(self) -> tuple[dict[str, int], dict[int, int]]:
        with self._cond:
            return dict(self._counts), dict(self._statuses)

    def wait_for(
        self,
        method: str,
        predicate: Predicate | None = None,
        timeout: float = 5.0,
        count: int = 1,
    ) -> list[RecordedRequest]:
        """Block until ``count`` matching requests exist; return the first ``count`` of them."""
        deadline = time.monotonic() + timeout
        matches: list[RecordedRequest] = []
        scanned = 0
        key = method.lower()
        with self._cond:
            while True:
                bucket = self._by_method.get(key, [])
                if scanned > len(bucket):  # cleared meanwhile
                    scanned, matches = 0, []
                for request in bucket[scanned:]:
                    if predicate is None or predicate(request):
                        matches.append(request)
                scanned = len(bucket)
                if len(matches) >= count:
                    return matches[:count]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(self._describe_miss(method, count, len(matches)))
                self._cond.wait(remaining)

    def _describe_miss(self, method: str, count: int, found: int) -> str:
        lines = [
            f"expected {count} matching {method} request(s) within the timeout, found {found}.",
            f"Recorded ({len(self._all)}):",
        ]
        for request in self._all[-30:]:
            lines.append(f"  {request.status} {request.method} {request.params!r}"[:300])
        return "\n".join(lines)
