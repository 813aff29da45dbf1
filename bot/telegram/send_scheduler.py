"""Whose message goes next: one global budget, replies before bulk, chats in turn, one pause.

The rate limiter (`bot/telegram/rate_limiter.py`) asks `SendScheduler.turn` before every request
to a chat. Nothing here knows Telegram, so the rules can be tested on a fake clock:

- a global budget (`rate` messages/s; 0 = unlimited) is shared by every chat;
- replies to users who are waiting always go before bulk sends (daily tips), which use only
  what replies leave, within their own cap (`bulk_rate`);
- chats take turns (round robin between chats with waiting requests), so a backlog in one chat
  never delays another chat's reply;
- a bulk send waits until its chat has had nothing for `chat_interval` seconds;
- a paid broadcast is a bulk send outside the global budget (Telegram bills it instead);
- `pause` (a 429's retry_after) holds every chat send, then restarts without a burst.
"""

from __future__ import annotations

import asyncio
import contextlib
import time as time_module
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from enum import Enum

Sleep = Callable[[float], Awaitable[None]]
_EPSILON = 1e-9


class Lane(Enum):
    """How urgent a send is; also the `rate_limit_args` callers pass to mark a bulk send."""

    REPLY = "reply"
    BULK = "bulk"


class Budget:
    """Token-bucket arithmetic on a caller's clock: `rate` per second, short bursts; 0 = no limit.

    The burst is a tenth of a second's worth, so a quiet spell never turns into a flood.
    """

    def __init__(self, rate: float, now: float) -> None:
        if rate < 0:
            raise ValueError("rate must not be negative")
        self.rate = rate
        self.capacity = max(1.0, rate / 10)
        self.tokens = 1.0
        self.updated = now

    def _tokens_at(self, now: float) -> float:
        return min(self.capacity, self.tokens + (now - self.updated) * self.rate)

    def ready_at(self, now: float) -> float:
        """The earliest time (>= now) at which one message fits."""
        if self.rate == 0:
            return now
        missing = 1.0 - self._tokens_at(now)
        return now if missing <= _EPSILON else now + missing / self.rate

    def take(self, now: float) -> None:
        if self.rate == 0:
            return
        self.tokens = max(0.0, self._tokens_at(now) - 1.0)
        self.updated = now

    def restart_at(self, moment: float) -> None:
        """After a pause: one message at `moment`, then the plain rate (no saved-up burst)."""
        self.tokens = 1.0
        self.updated = moment


@dataclass(eq=False)
class Ticket:
    """One request waiting for its turn; `granted` resolves when it may go."""

    chat: Hashable
    lane: Lane
    paid: bool
    granted: asyncio.Future[None] = field(repr=False)


class ChatQueues:
    """One lane's waiting tickets: a queue per chat, and the order in which chats take turns."""

    def __init__(self) -> None:
        self.by_chat: dict[Hashable, deque[Ticket]] = {}
        self.turns: deque[Hashable] = deque()

    def add(self, ticket: Ticket) -> None:
        queue = self.by_chat.get(ticket.chat)
        if queue is None:
            self.by_chat[ticket.chat] = queue = deque()
            self.turns.append(ticket.chat)
        queue.append(ticket)

    def heads(self) -> list[Ticket]:
        """The first live ticket of every chat, in turn order (abandoned tickets are dropped)."""
        heads = []
        for chat in list(self.turns):
            queue = self.by_chat[chat]
            while queue and queue[0].granted.done():  # its caller gave up (cancelled)
                queue.popleft()
            if queue:
                heads.append(queue[0])
            else:
                self._forget(chat)
        return heads

    def remove_head(self, ticket: Ticket) -> None:
        """Take a chat's first ticket out and send that chat to the back of the line."""
        queue = self.by_chat[ticket.chat]
        queue.popleft()
        self.turns.remove(ticket.chat)
        if queue:
            self.turns.append(ticket.chat)
        else:
            del self.by_chat[ticket.chat]

    def _forget(self, chat: Hashable) -> None:
        del self.by_chat[chat]
        self.turns.remove(chat)

    def cancel_all(self) -> None:
        for queue in self.by_chat.values():
            for ticket in queue:
                ticket.granted.cancel()
        self.by_chat.clear()
        self.turns.clear()

    def __bool__(self) -> bool:
        return bool(self.by_chat)


class SendScheduler:
    """Grants turns to chat sends; one dispatcher task hands them out in order."""

    def __init__(
        self,
        rate: float,
        bulk_rate: float,
        *,
        chat_interval: float = 1.0,
        monotonic: Callable[[], float] = time_module.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._monotonic = monotonic
        self._sleep = sleep
        now = monotonic()
        self.budget = Budget(rate, now)
        self.bulk_budget = Budget(bulk_rate, now)
        self.chat_interval = chat_interval
        self.paused_until = now
        self._replies = ChatQueues()
        self._bulk = ChatQueues()
        self._last_sent: OrderedDict[Hashable, float] = OrderedDict()  # oldest first
        self._dispatcher: asyncio.Task[None] | None = None
        self._wakeup = asyncio.Event()
        self._nap: asyncio.Future[None] | None = None

    async def turn(self, chat: Hashable, lane: Lane, *, paid: bool = False) -> None:
        """Wait until a message to `chat` may go; it counts as sent from then on."""
        ticket = Ticket(
            chat, lane, paid and lane is Lane.BULK, asyncio.get_running_loop().create_future()
        )
        now = self._monotonic()
        if not self._replies and not self._bulk and self._ready_at(ticket, now) <= now:
            self._grant(ticket, now)  # nobody is waiting: no hop through the dispatcher
            return
        (self._replies if lane is Lane.REPLY else self._bulk).add(ticket)
        self._start_dispatcher()
        self._kick()
        await ticket.granted

    def pause(self, seconds: float) -> None:
        """Hold every chat send for `seconds` (Telegram's retry_after)."""
        until = self._monotonic() + max(0.0, seconds)
        if until > self.paused_until:
            self.paused_until = until
            self.budget.restart_at(until)
            self.bulk_budget.restart_at(until)

    def waiting(self) -> int:
        return sum(len(q) for lane in (self._replies, self._bulk) for q in lane.by_chat.values())

    async def close(self) -> None:
        """Stop the dispatcher; callers still waiting are cancelled."""
        if self._dispatcher is not None:
            self._dispatcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._dispatcher
            self._dispatcher = None
        self._replies.cancel_all()
        self._bulk.cancel_all()

    # ------------------------------------------------------------------ the rules

    def _ready_at(self, ticket: Ticket, now: float) -> float:
        """When this ticket could go if it were the only one waiting."""
        at = max(now, self.paused_until)
        if ticket.lane is Lane.REPLY:
            return max(at, self.budget.ready_at(at))
        at = max(at, self.bulk_budget.ready_at(at))
        last = self._last_sent.get(ticket.chat)
        if last is not None:
            at = max(at, last + self.chat_interval)
        if not ticket.paid:
            at = max(at, self.budget.ready_at(at))
        return at

    def _next(self, now: float) -> tuple[float, Ticket] | None:
        """The ticket to serve next and when: a reply whenever one could go no later than bulk."""
        best: tuple[float, Ticket] | None = None
        for lane in (self._replies, self._bulk):
            for ticket in lane.heads():
                at = self._ready_at(ticket, now)
                if best is None or at < best[0] - _EPSILON:
                    best = (at, ticket)
                if ticket.lane is Lane.REPLY:
                    break  # every reply needs the same budget: the first in turn order is next
        return best

    def _grant(self, ticket: Ticket, now: float) -> None:
        if ticket.lane is Lane.BULK:
            self.bulk_budget.take(now)
        if not ticket.paid:
            self.budget.take(now)
        self._last_sent[ticket.chat] = now
        self._last_sent.move_to_end(ticket.chat)
        while self._last_sent:  # only chats sent to within the interval matter
            chat, at = next(iter(self._last_sent.items()))
            if at > now - self.chat_interval:
                break
            del self._last_sent[chat]
        if not ticket.granted.done():
            ticket.granted.set_result(None)

    # ------------------------------------------------------------------ the dispatcher

    def _start_dispatcher(self) -> None:
        if self._dispatcher is None or self._dispatcher.done():
            self._dispatcher = asyncio.create_task(self._dispatch(), name="send-scheduler")

    def _kick(self) -> None:
        """A new request arrived: wake the dispatcher, which may have planned for bulk only."""
        self._wakeup.set()
        if self._nap is not None and not self._nap.done():
            self._nap.cancel()

    async def _dispatch(self) -> None:
        while True:
            self._wakeup.clear()
            now = self._monotonic()
            chosen = self._next(now)
            if chosen is None:
                await self._wakeup.wait()
                continue
            at, ticket = chosen
            if at > now + _EPSILON:
                await self._wait(at - now)
                continue
            (self._replies if ticket.lane is Lane.REPLY else self._bulk).remove_head(ticket)
            self._grant(ticket, now)
            await asyncio.sleep(0)  # let the granted caller start before the next grant

    async def _wait(self, seconds: float) -> None:
        """Sleep, unless a new request arrives first (it may be due sooner)."""
        nap = asyncio.ensure_future(self._sleep(seconds))
        self._nap = nap
        try:
            await asyncio.wait({nap})
        finally:
            self._nap = None
            nap.cancel()
