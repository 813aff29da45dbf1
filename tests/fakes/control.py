"""JSON control API under ``/_control/`` and a small synchronous client for it.

Benchmarks and end-to-end tests run the fake in another process (``python -m
tests.fakes.bot_api``); this is how they push updates into it and read what the bot did.
Every action answers ``{"ok": true, "result": ...}`` or ``{"ok": false, "description": ...}``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from tests.fakes.recorder import RecordedRequest

if TYPE_CHECKING:
    from tests.fakes.bot_api import FakeBotAPI

Action = Callable[["FakeBotAPI", dict[str, Any]], Awaitable[Any]]


def _request_dict(request: RecordedRequest) -> dict[str, Any]:
    return dataclasses.asdict(request)


def _matches(body: dict[str, Any]) -> Callable[[RecordedRequest], bool]:
    """Build a predicate from JSON-friendly filters: chat_id, text_contains, ok_only."""
    chat_id = body.get("chat_id")
    text_contains = body.get("text_contains")
    ok_only = bool(body.get("ok_only", False))

    def predicate(request: RecordedRequest) -> bool:
        if chat_id is not None and request.chat_id != int(chat_id):
            return False
        if ok_only and not request.ok:
            return False
        return text_contains is None or text_contains in str(request.params.get("text", ""))

    return predicate


async def _send_text(api: FakeBotAPI, body: dict[str, Any]) -> Any:
    return api.send_text(
        int(body["user_id"]),
        str(body["text"]),
        body.get("first_name", "Ann"),
        body.get("language_code", "en"),
    )


async def _press_button(api: FakeBotAPI, body: dict[str, Any]) -> Any:
    return api.press_button(
        int(body["user_id"]),
        int(body["message_id"]),
        str(body["data"]),
        strict=bool(body.get("strict", True)),
    )


async def _send_inline_query(api: FakeBotAPI, body: dict[str, Any]) -> Any:
    return api.send_inline_query(
        int(body["user_id"]),
        str(body.get("query", "")),
        offset=str(body.get("offset", "")),
        chat_type=body.get("chat_type", "sender"),
    )


async def _inline_answer(api: FakeBotAPI, body: dict[str, Any]) -> Any:
    answer = api.inline_answer(str(body["query_id"]))
    return dataclasses.asdict(answer) if answer else None


async def _answer_poll(api: FakeBotAPI, body: dict[str, Any]) -> Any:
    return api.answer_poll(int(body["user_id"]), str(body["poll_id"]), list(body["option_ids"]))


async def _set_member_status(api: FakeBotAPI, body: dict[str, Any]) -> Any:
    return api.set_member_status(int(body["user_id"]), str(body["status"]))


async def _push_update(api: FakeBotAPI, body: dict[str, Any]) -> Any:
    return api.push_update(dict(body["update"]))


async def _add_user(api: FakeBotAPI, body: dict[str, Any]) -> Any:
    return api.add_user(
        int(body["user_id"]), body.get("first_name", "Ann"), body.get("language_code", "en")
    )


async def _block_user(api: FakeBotAPI, body: dict[str, Any]) -> Any:
    api.block_user(int(body["user_id"]))
    return True


async def _unblock_user(api: FakeBotAPI, body: dict[str, Any]) -> Any:
    api.unblock_user(int(body["user_id"]))
    return True


async def _fail_next(api: FakeBotAPI, body: dict[str, Any]) -> Any:
    api.fail_next(
        str(body["method"]),
        int(body.get("error_code", 429)),
        int(body.get("retry_after", 3)),
        int(body.get("count", 1)),
        body.get("description"),
    )
    return True


async def _delay(api: FakeBotAPI, body: dict[str, Any]) -> Any:
    api.delay(str(body["method"]), float(body["seconds"]), int(body.get("count", 1)))
    return True


async def _rate_cap(api: FakeBotAPI, body: dict[str, Any]) -> Any:
    rate = body.get("messages_per_second")
    burst = body.get("burst")
    api.rate_cap(float(rate) if rate else None, float(burst) if burst else None)
    return True


async def _reset_failures(api: FakeBotAPI, body: dict[str, Any]) -> Any:
    api.reset_failures()
    return True


async def _reset(api: FakeBotAPI, body: dict[str, Any]) -> Any:
    """Clear the request log and statistics and drop injected failures (state is kept)."""
    api.clear()
    api.reset_failures()
    return True


async def _stats(api: FakeBotAPI, body: dict[str, Any]) -> Any:
    return api.stats()


async def _requests(api: FakeBotAPI, body: dict[str, Any]) -> Any:
    method = body.get("method")
    found = api.calls(str(method)) if method else api.requests
    predicate = _matches(body)
    return [_request_dict(r) for r in found if predicate(r)]


async def _wait_for(api: FakeBotAPI, body: dict[str, Any]) -> Any:
    found = await asyncio.to_thread(
        api.wait_for,
        str(body["method"]),
        _matches(body),
        float(body.get("timeout", 5.0)),
        int(body.get("count", 1)),
    )
    return [_request_dict(r) for r in found]


async def _last_poll(api: FakeBotAPI, body: dict[str, Any]) -> Any:
    record = api.last_poll(int(body["chat_id"]))
    return dataclasses.asdict(record) if record else None


async def _messages(api: FakeBotAPI, body: dict[str, Any]) -> Any:
    return api.messages(int(body["chat_id"]))


async def _unanswered(api: FakeBotAPI, body: dict[str, Any]) -> Any:
    return api.unanswered_callback_queries()


CONTROL_ACTIONS: dict[str, Action] = {
    "send_text": _send_text,
    "press_button": _press_button,
    "send_inline_query": _send_inline_query,
    "inline_answer": _inline_answer,
    "answer_poll": _answer_poll,
    "set_member_status": _set_member_status,
    "push_update": _push_update,
    "add_user": _add_user,
    "block_user": _block_user,
    "unblock_user": _unblock_user,
    "fail_next": _fail_next,
    "delay": _delay,
    "rate_cap": _rate_cap,
    "reset_failures": _reset_failures,
    "reset": _reset,
    "stats": _stats,
    "requests": _requests,
    "wait_for": _wait_for,
    "last_poll": _last_poll,
    "messages": _messages,
    "unanswered_callback_queries": _unanswered,
}


class ControlError(RuntimeError):
    """The control API refused an action (bad arguments, or wait_for timed out)."""


class FakeBotAPIControl:
    """Synchronous client for a fake running in another process.

    ``base`` may be the server root (``http://127.0.0.1:PORT``) or the ``READY`` line's base URL
    (``http://127.0.0.1:PORT/bot``).
    """

    def __init__(self, base: str, timeout: float = 30.0) -> None:
        self.root = base.rstrip("/").removesuffix("/bot")
        self.timeout = timeout

    def call(
        self, action: str, body: dict[str, Any] | None = None, *, http_timeout: float | None = None
    ) -> Any:
        """POST one control action and return its ``result``; ControlError on refusal."""
        request = urllib.request.Request(
            f"{self.root}/_control/{action}",
            data=json.dumps(body or {}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=http_timeout or self.timeout) as response:
                payload = json.loads(response.read())
        except urllib.error.HTTPError as err:
            with err:
                payload = json.loads(err.read() or b"{}")
            raise ControlError(f"{action}: {payload.get('description', err)}") from None
        return payload["result"]

    def send_text(self, user_id: int, text: str, **extra: Any) -> int:
        """Extra: first_name, language_code."""
        return int(self.call("send_text", {"user_id": user_id, "text": text, **extra}))

    def press_button(self, user_id: int, message_id: int, data: str, strict: bool = True) -> str:
        body = {"user_id": user_id, "message_id": message_id, "data": data, "strict": strict}
        return str(self.call("press_button", body))

    def send_inline_query(self, user_id: int, query: str, **extra: Any) -> str:
        """Extra: offset, chat_type."""
        return str(self.call("send_inline_query", {"user_id": user_id, "query": query, **extra}))

    def inline_answer(self, query_id: str) -> dict[str, Any] | None:
        result = self.call("inline_answer", {"query_id": query_id})
        return dict(result) if result else None

    def answer_poll(self, user_id: int, poll_id: str, option_ids: list[int]) -> int:
        body = {"user_id": user_id, "poll_id": poll_id, "option_ids": option_ids}
        return int(self.call("answer_poll", body))

    def set_member_status(self, user_id: int, status: str) -> int:
        return int(self.call("set_member_status", {"user_id": user_id, "status": status}))

    def push_update(self, update: dict[str, Any]) -> int:
        return int(self.call("push_update", {"update": update}))

    def add_user(self, user_id: int, **extra: Any) -> dict[str, Any]:
        return dict(self.call("add_user", {"user_id": user_id, **extra}))

    def block_user(self, user_id: int) -> None:
        self.call("block_user", {"user_id": user_id})

    def unblock_user(self, user_id: int) -> None:
        self.call("unblock_user", {"user_id": user_id})

    def fail_next(
        self, method: str, error_code: int = 429, retry_after: int = 3, count: int = 1
    ) -> None:
        body = {
            "method": method,
            "error_code": error_code,
            "retry_after": retry_after,
            "count": count,
        }
        self.call("fail_next", body)

    def delay(self, method: str, seconds: float, count: int = 1) -> None:
        self.call("delay", {"method": method, "seconds": seconds, "count": count})

    def rate_cap(self, messages_per_second: float | None, burst: float | None = None) -> None:
        self.call("rate_cap", {"messages_per_second": messages_per_second, "burst": burst})

    def reset_failures(self) -> None:
        self.call("reset_failures")

    def reset(self) -> None:
        """Clear the request log, statistics and injected failures (chats and polls stay)."""
        self.call("reset")

    def stats(self) -> dict[str, Any]:
        """counts, statuses, requests, sends, rate_limited, max_sends_per_second, ..."""
        return dict(self.call("stats"))

    def requests(self, method: str | None = None, **filters: Any) -> list[dict[str, Any]]:
        """Filters: chat_id, text_contains, ok_only."""
        return list(self.call("requests", {"method": method, **filters}))

    def wait_for(
        self, method: str, count: int = 1, timeout: float = 5.0, **filters: Any
    ) -> list[dict[str, Any]]:
        """Block until ``count`` matching requests; filters as for :meth:`requests`."""
        body = {"method": method, "count": count, "timeout": timeout, **filters}
        return list(self.call("wait_for", body, http_timeout=timeout + 10.0))

    def last_poll(self, chat_id: int) -> dict[str, Any] | None:
        result = self.call("last_poll", {"chat_id": chat_id})
        return dict(result) if result else None

    def messages(self, chat_id: int) -> list[dict[str, Any]]:
        return list(self.call("messages", {"chat_id": chat_id}))

    def unanswered_callback_queries(self) -> list[str]:
        return list(self.call("unanswered_callback_queries"))
