"""A fake Telegram Bot API server for integration tests, end-to-end tests and benchmarks.

Usage in tests::

    with FakeBotAPI() as api:
        bot = telegram.Bot("123456:TEST-token", base_url=api.base_url)
        api.send_text(42, "/start")
        ...
        api.wait_for("sendMessage", lambda r: r.chat_id == 42)

Standalone (another process drives it through :class:`tests.fakes.control.FakeBotAPIControl`)::

    python -m tests.fakes.bot_api --port 0 [--rate-cap 30]   # prints "READY <base_url>"

Why a real HTTP server rather than a mocked ``BaseRequest``: it exercises PTB's actual request
encoding, timeouts, error mapping and long polling, and it works for a bot in a subprocess.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
import threading
import time
from collections import deque
from types import FrameType, TracebackType
from typing import Any

from tests.fakes.control import FakeBotAPIControl
from tests.fakes.failures import FailurePlan, make_failure
from tests.fakes.methods import HANDLERS, RATE_LIMITED, Call, UploadedFile
from tests.fakes.recorder import Predicate, RecordedRequest, RequestLog
from tests.fakes.server import ServerThread
from tests.fakes.state import BOT_USERNAME, BotState, JSONDict, PollRecord
from tests.fakes.validation import ApiError, InlineAnswer, coerce_params, inline_answer
from tests.fakes.webhook_delivery import Delivery, DeliveryAttempt

__all__ = ["FakeBotAPI", "FakeBotAPIControl", "PollRecord", "RecordedRequest"]

_CANONICAL = {name.lower(): name for name in [*HANDLERS, "getUpdates"]}


class _SendMeter:
    """Counts delivered messages and the busiest one-second window, for the 30 msg/s check."""

    def __init__(self) -> None:
        self.total = 0
        self.first: float | None = None
        self.last: float | None = None
        self.max_per_second = 0
        self._window: deque[float] = deque()

    def add(self, at: float) -> None:
        self.total += 1
        self.first = at if self.first is None else self.first
        self.last = at
        window = self._window
        window.append(at)
        while window[0] <= at - 1.0:
            window.popleft()
        self.max_per_second = max(self.max_per_second, len(window))

    def as_dict(self) -> dict[str, Any]:
        return {
            "sends": self.total,
            "first_send_at": self.first,
            "last_send_at": self.last,
            "max_sends_per_second": self.max_per_second,
        }


class FakeBotAPI:
    """In-process fake of api.telegram.org for one bot; see the module docstring."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        rate_cap: float | None = None,
        bot_username: str = BOT_USERNAME,
        inline_mode: bool = False,
    ) -> None:
        """`inline_mode`: the bot had /setinline in @BotFather, so users may type `@bot ...`."""
        self._lock = threading.RLock()
        self.state = BotState(bot_username, inline_mode=inline_mode)
        self.log = RequestLog()
        self.failures = FailurePlan()
        self._meter = _SendMeter()
        self._server = ServerThread(self, host, port)
        self.host = host
        self.requests_in_flight = 0  # API calls received and not yet answered (server thread)
        self._webhook_redirects: dict[str, str] = {}
        self._webhook_attempts: list[DeliveryAttempt] = []
        if rate_cap:
            self.rate_cap(rate_cap)

    # ---------------------------------------------------------------------------- lifecycle

    def start(self) -> FakeBotAPI:
        """Bind (port 0 picks a free one) and serve from a background thread."""
        self._server.start()
        return self

    def stop(self) -> None:
        """Stop serving; open long polls end, delayed answers are dropped."""
        self._server.stop()

    def __enter__(self) -> FakeBotAPI:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def url(self) -> str:
        """Server root, e.g. for :class:`FakeBotAPIControl`."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """Pass as PTB ``base_url``; PTB appends ``<token>/<method>``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    # ------------------------------------------------------------------------- recorded requests

    @property
    def requests(self) -> list[RecordedRequest]:
        """Snapshot of every request answered so far, oldest first."""
        return self.log.all()

    def calls(self, method: str) -> list[RecordedRequest]:
        """Requests to one method (case-insensitive)."""
        return self.log.calls(method)

    def clear(self) -> None:
        """Forget recorded requests and send statistics (state such as messages is kept)."""
        with self._lock:
            self.log.clear()
            self._meter = _SendMeter()

    def wait_for(
        self,
        method: str,
        predicate: Predicate | None = None,
        timeout: float = 5.0,
        count: int = 1,
    ) -> list[RecordedRequest]:
        """Block until ``count`` requests to ``method`` match; AssertionError lists the log."""
        return self.log.wait_for(method, predicate, timeout, count)

    async def await_for(
        self,
        method: str,
        predicate: Predicate | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - same signature as wait_for on purpose
        count: int = 1,
    ) -> list[RecordedRequest]:
        """:meth:`wait_for` without blocking the caller's event loop."""
        return await asyncio.to_thread(self.wait_for, method, predicate, timeout, count)

    def stats(self) -> dict[str, Any]:
        """Counters for benchmarks: per-method counts, HTTP statuses, delivered sends."""
        counts, statuses = self.log.counts()
        with self._lock:
            return {
                "counts": counts,
                "statuses": {str(code): n for code, n in statuses.items()},
                "requests": sum(counts.values()),
                "rate_limited": self.failures.rate_limited,
                "pending_updates": len(self.state.updates),
                **self._meter.as_dict(),
            }

    # ---------------------------------------------------------------------------- users/updates

    def add_user(
        self,
        user_id: int,
        first_name: str = "Ann",
        language_code: str | None = "en",
        *,
        last_name: str | None = None,
        username: str | None = None,
    ) -> JSONDict:
        """Make ``user_id`` a chat the bot may write to, without creating an update."""
        with self._lock:
            return dict(
                self.state.add_user(
                    user_id, first_name, language_code, last_name=last_name, username=username
                )
            )

    def send_text(
        self, user_id: int, text: str, first_name: str = "Ann", language_code: str | None = "en"
    ) -> int:
        """The user writes ``text`` in the private chat; returns the update_id.

        A user who had blocked the bot first unblocks it (Telegram's "Restart" button), which
        produces a ``my_chat_member`` update before the message, as on the real service.
        """
        with self._lock:
            if user_id in self.state.blocked:
                self.state.member_update(user_id, "member")
            update_id = self.state.text_update(user_id, text, first_name, language_code)
        self._server.notify_updates()
        return update_id

    def press_button(
        self, user_id: int, message_id: int, data: str, *, strict: bool = True
    ) -> str:
        """The user presses an inline button of a bot message; returns the callback query id.

        With ``strict`` the message's current keyboard must contain ``data``, as any real press
        would; ``strict=False`` simulates stale or forged callback data.
        """
        with self._lock:
            query_id = self.state.callback_update(user_id, message_id, data, strict)
        self._server.notify_updates()
        return query_id

    def send_inline_query(
        self, user_id: int, query: str, *, offset: str = "", chat_type: str | None = "sender"
    ) -> str:
        """The user types ``@bot query`` (``offset``: the next page); returns the query id.

        Needs ``inline_mode=True``, as Telegram sends inline queries only to bots that have
        inline mode switched on in @BotFather.
        """
        with self._lock:
            query_id = self.state.inline_query_update(user_id, query, offset, chat_type)
        self._server.notify_updates()
        return query_id

    def answer_poll(self, user_id: int, poll_id: str, option_ids: list[int]) -> int:
        """A ``poll_answer`` update (empty ``option_ids`` = vote retracted); returns update_id."""
        with self._lock:
            update_id = self.state.poll_answer_update(user_id, poll_id, option_ids)
        self._server.notify_updates()
        return update_id

    def set_member_status(self, user_id: int, status: str) -> int:
        """``my_chat_member`` update; "kicked" also blocks sends (403), "member" unblocks."""
        with self._lock:
            update_id = self.state.member_update(user_id, status)
        self._server.notify_updates()
        return update_id

    def push_update(self, update: JSONDict) -> int:
        """Queue any raw update; a missing or stale ``update_id`` is replaced by the next id."""
        with self._lock:
            update_id = self.state.push_update(update)
        self._server.notify_updates()
        return update_id

    def pending_updates(self) -> list[JSONDict]:
        """Updates not yet confirmed by a getUpdates offset."""
        with self._lock:
            return list(self.state.updates)

    # --------------------------------------------------------------------------------- webhook

    def redirect_webhook(self, public_prefix: str, local_prefix: str) -> None:
        """Deliver to ``local_prefix + rest`` what the bot registered as ``public_prefix + rest``.

        Tests have no TLS: ``redirect_webhook("https://bot.example", "http://127.0.0.1:PORT")``.
        """
        with self._lock:
            self._webhook_redirects[public_prefix] = local_prefix
        self._server.notify_updates()

    @property
    def webhook_attempts(self) -> list[DeliveryAttempt]:
        """Every webhook POST made or tried so far, oldest first."""
        with self._lock:
            return list(self._webhook_attempts)

    def next_webhook_delivery(self) -> Delivery | None:
        """The oldest pending update, when a webhook is set (server thread)."""
        with self._lock:
            state = self.state
            if not state.webhook_url:
                return None
            state.updates = type(state.updates)(u for u in state.updates if state.is_allowed(u))
            if not state.updates:
                return None
            return Delivery(
                dict(state.updates[0]), self._local_target(state.webhook_url), state.webhook_secret
            )

    def record_webhook_attempt(self, attempt: DeliveryAttempt) -> None:
        """Log a POST; a 2xx confirms the update, which then leaves the queue (server thread)."""
        with self._lock:
            self._webhook_attempts.append(attempt)
            if attempt.ok:
                updates = self.state.updates
                self.state.updates = type(updates)(
                    u for u in updates if u["update_id"] != attempt.update_id
                )

    def _local_target(self, url: str) -> str | None:
        for public, local in self._webhook_redirects.items():
            if url.startswith(public):
                return local + url[len(public) :]
        return None

    # ----------------------------------------------------------------------------- inspection

    @property
    def polls(self) -> dict[str, PollRecord]:
        """Every poll the bot sent, by poll id (live records: votes and is_closed update)."""
        with self._lock:
            return dict(self.state.polls)

    def last_poll(self, chat_id: int) -> PollRecord | None:
        with self._lock:
            poll_id = self.state.last_poll_by_chat.get(chat_id)
            return self.state.polls.get(poll_id) if poll_id else None

    def messages(self, chat_id: int) -> list[JSONDict]:
        """Current messages of a chat (both directions), oldest first, as Message dicts."""
        with self._lock:
            chat = self.state.chats.get(chat_id)
            return json.loads(json.dumps(list(chat.messages.values()))) if chat else []

    def uploaded(self, file_id: str) -> bytes:
        """The bytes of a file the bot uploaded (a sent document's ``file_id``)."""
        with self._lock:
            return self.state.uploads[file_id]

    def unanswered_callback_queries(self) -> list[str]:
        """Ids of callback queries the bot never answered (clients would show a spinner)."""
        with self._lock:
            return [q.query_id for q in self.state.callback_queries.values() if not q.answered]

    def inline_answer(self, query_id: str) -> InlineAnswer | None:
        """The accepted answer to an inline query, validated and decoded; None if unanswered."""
        with self._lock:
            record = self.state.inline_queries.get(query_id)
            answer = record.answer if record else None
        return inline_answer(answer) if answer is not None else None

    def unanswered_inline_queries(self) -> list[str]:
        """Ids of inline queries the bot never answered (the user saw no results)."""
        with self._lock:
            return [q.query_id for q in self.state.inline_queries.values() if not q.answered]

    # ----------------------------------------------------------------------- failure injection

    def fail_next(
        self,
        method: str,
        error_code: int = 429,
        retry_after: int = 3,
        count: int = 1,
        description: str | None = None,
    ) -> None:
        """The next ``count`` calls of ``method`` fail with this error and are not applied."""
        self.failures.fail_next(method, make_failure(error_code, retry_after, description), count)

    def block_user(self, user_id: int) -> None:
        """Every send to this chat answers 403 "Forbidden: bot was blocked by the user"."""
        with self._lock:
            self.state.require_user(user_id)
            self.state.blocked.add(user_id)

    def unblock_user(self, user_id: int) -> None:
        with self._lock:
            self.state.blocked.discard(user_id)

    def delay(self, method: str, seconds: float, count: int = 1) -> None:
        """The next ``count`` calls are applied and recorded, but answered ``seconds`` late.

        Models a client-side timeout on a request Telegram actually executed.
        """
        self.failures.delay(method, seconds, count)

    def rate_cap(self, messages_per_second: float | None, burst: float | None = None) -> None:
        """Global flood control over message sends; None removes it."""
        self.failures.set_rate_cap(messages_per_second, burst)

    def reset_failures(self) -> None:
        """Drop scripted failures, delays, the rate cap and unblock everybody."""
        self.failures.reset()
        with self._lock:
            self.state.blocked.clear()

    # -------------------------------------------------------------- request handling (server)

    def handle(
        self, method: str, raw: dict[str, Any], files: dict[str, UploadedFile]
    ) -> tuple[int, bytes, float]:
        """Answer one API call: (HTTP status, JSON body, seconds to delay the answer)."""
        canonical = _CANONICAL.get(method.lower())
        if canonical is None:
            self.record_rejected(method, raw, 404)
            return 404, json.dumps(_not_found()).encode(), 0.0
        try:
            params = coerce_params(raw)
        except ApiError as error:
            self.record_rejected(canonical, raw, error.code)
            return error.code, json.dumps(error.payload()).encode(), 0.0
        with self._lock:
            status, body = self._apply(canonical, params, files)
        return status, body, self.failures.take_delay(canonical)

    def _apply(
        self, method: str, params: dict[str, Any], files: dict[str, UploadedFile]
    ) -> tuple[int, bytes]:
        error = self.failures.take_failure(method)
        if error is None and method in RATE_LIMITED:
            error = self.failures.check_rate()
        if error is None:
            try:
                result = HANDLERS[method](self.state, Call(params, files))
            except ApiError as raised:
                error = raised
        if error is not None:
            payload = error.payload()
            status = error.code
        else:
            payload = {"ok": True, "result": result}
            status = 200
        body = json.dumps(payload).encode()
        now = time.monotonic()
        self.log.append(
            RecordedRequest(
                method,
                params,
                self._chat_of(method, params),
                now,
                status,
                _sizes(files),
                str(payload.get("description", "")),
            )
        )
        if status == 200 and method in RATE_LIMITED:
            self._meter.add(now)
        return status, body

    def _chat_of(self, method: str, params: dict[str, Any]) -> int | None:
        chat_id = params.get("chat_id")
        if isinstance(chat_id, int):
            return chat_id
        if method == "answerCallbackQuery":
            query = self.state.callback_queries.get(str(params.get("callback_query_id")))
            return query.chat_id if query else None
        return None

    def record_rejected(self, method: str, params: dict[str, Any], status: int) -> None:
        self.log.append(RecordedRequest(method, dict(params), None, time.monotonic(), status))

    def begin_get_updates(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Record a getUpdates on arrival (so tests can wait for polling to start)."""
        params = coerce_params(raw)
        with self._lock:
            error = self.failures.take_failure("getUpdates")
            self.log.append(
                RecordedRequest(
                    "getUpdates", params, None, time.monotonic(), error.code if error else 200
                )
            )
        if error is not None:
            raise error
        return params

    def take_updates(self, params: dict[str, Any], limit: int) -> list[JSONDict]:
        """One getUpdates pass: confirm by offset, apply allowed_updates, return a batch."""
        with self._lock:
            state = self.state
            if state.webhook_url:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; use "
                    "deleteWebhook to delete the webhook first",
                )
            allowed = params.get("allowed_updates")
            if isinstance(allowed, list):
                state.allowed_updates = frozenset(allowed) if allowed else None
            offset = params.get("offset")
            return state.take_updates(offset if isinstance(offset, int) else None, limit)


def _not_found() -> JSONDict:
    return {"ok": False, "error_code": 404, "description": "Not Found"}


def _sizes(files: dict[str, UploadedFile]) -> dict[str, tuple[str, int]]:
    return {name: (upload.filename, len(upload.data)) for name, upload in files.items()}


# --------------------------------------------------------------------------------- standalone


def main(argv: list[str] | None = None) -> int:
    """Serve until SIGTERM/SIGINT; print ``READY <base_url>`` once listening."""
    parser = argparse.ArgumentParser(description="Fake Telegram Bot API server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--rate-cap", type=float, default=None, help="global send* msg/s")
    parser.add_argument("--burst", type=float, default=None, help="token bucket size")
    parser.add_argument("--inline-mode", action="store_true", help="as after /setinline")
    args = parser.parse_args(argv)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    api = FakeBotAPI(args.host, args.port, inline_mode=args.inline_mode)
    if args.rate_cap:
        api.rate_cap(args.rate_cap, args.burst)
    with api:
        sys.stdout.write(f"READY {api.base_url}\n")
        sys.stdout.flush()
        while not stop.wait(0.2):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
