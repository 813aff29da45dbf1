"""HTTP side of the fake: aiohttp routes, request decoding, long polling, the control API.

The server runs its own event loop in a background thread so that synchronous tests, async tests
(whose loop belongs to pytest-asyncio) and subprocesses can all talk to it over loopback HTTP,
exactly like a bot talks to api.telegram.org.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web

from tests.fakes.methods import UploadedFile
from tests.fakes.validation import ApiError, bad_request, optional_int
from tests.fakes.webhook_delivery import WebhookPusher

if TYPE_CHECKING:
    from tests.fakes.bot_api import FakeBotAPI

TOKEN = re.compile(r"\d+:[\w-]+")
NOT_FOUND = json.dumps({"ok": False, "error_code": 404, "description": "Not Found"}).encode()
CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)
MAX_UPDATES_LIMIT = 100
ControlAction = Callable[["FakeBotAPI", dict[str, Any]], Awaitable[Any]]


def json_response(payload: Any, status: int = 200) -> web.Response:
    return web.Response(
        body=json.dumps(payload).encode(), status=status, content_type="application/json"
    )


def error_response(error: ApiError) -> web.Response:
    return json_response(error.payload(), error.code)


async def read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Decode query string, JSON, urlencoded and multipart bodies into one flat dict."""
    params: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    content_type = request.content_type
    if content_type == "application/json":
        body = await request.read()
        if body:
            try:
                data = json.loads(body)
            except ValueError:
                raise bad_request("can't parse JSON encoded request body") from None
            if not isinstance(data, dict):
                raise bad_request("JSON request body must be an object")
            params.update(data)
    elif content_type == "application/x-www-form-urlencoded":
        form = await request.post()
        params.update({key: str(value) for key, value in form.items()})
    elif content_type.startswith("multipart/"):
        await _read_multipart(request, params, files)
    return params, files


async def _read_multipart(
    request: web.Request, params: dict[str, Any], files: dict[str, UploadedFile]
) -> None:
    """Read parts ourselves: ``request.post()`` spools files into temp files we'd have to close."""
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader) or part.name is None:
            continue
        if part.filename is not None:
            data = await part.read(decode=True)
            content_type = part.headers.get("Content-Type", "application/octet-stream")
            files[part.name] = UploadedFile(part.filename, content_type, bytes(data))
        else:
            params[part.name] = await part.text()


class ServerThread:
    """Owns the event loop thread, the aiohttp runner and the long-polling waiters."""

    def __init__(self, api: FakeBotAPI, host: str, port: int) -> None:
        self.api = api
        self.host = host
        self.port = port
        self.loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._runner: web.AppRunner | None = None
        self._closing: asyncio.Event | None = None
        self._waiters: set[asyncio.Future[None]] = set()
        self._poll_generation = 0
        self._pusher: WebhookPusher | None = None

    # ---------------------------------------------------------------------------- lifecycle

    def start(self, timeout: float = 10.0) -> None:
        self._thread = threading.Thread(target=self._run, name="fake-bot-api", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise RuntimeError("fake Bot API did not start in time")
        if self._startup_error is not None:
            raise RuntimeError("fake Bot API failed to start") from self._startup_error

    def stop(self, timeout: float = 10.0) -> None:
        loop, thread = self.loop, self._thread
        if loop is None or thread is None:
            return
        if loop.is_running():
            loop.call_soon_threadsafe(self._begin_stop)
        thread.join(timeout)
        self.loop = None
        self._thread = None

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self.loop = loop
        try:
            loop.run_until_complete(self._startup())
        except BaseException as err:
            self._startup_error = err
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self._cleanup())
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()

    async def _startup(self) -> None:
        self._closing = asyncio.Event()
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api_route)
        app.router.add_route("*", "/_control/{action}", self._control_route)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        self._pusher = WebhookPusher(self.api, self)
        asyncio.get_running_loop().create_task(self._pusher.run(), name="webhook-pusher")

    def _begin_stop(self) -> None:
        assert self._closing is not None
        assert self.loop is not None
        self._closing.set()
        self._wake_pollers()
        self.loop.stop()

    async def _cleanup(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    # -------------------------------------------------------------------------- notifications

    def notify_updates(self) -> None:
        """Thread-safe: wake long-polling getUpdates requests because an update was queued."""
        loop = self.loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # closed between the check and the call
                loop.call_soon_threadsafe(self._wake_pollers)

    def _wake_pollers(self) -> None:
        if self._pusher is not None:  # a webhook, when set, is pushed the same new updates
            self._pusher.wake()
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)

    @property
    def closing(self) -> bool:
        return self._closing is not None and self._closing.is_set()

    async def sleep(self, seconds: float) -> None:
        """Sleep, but end early when the server shuts down so stop() never hangs."""
        assert self._closing is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)

    # ---------------------------------------------------------------------------------- routes

    async def _not_found(self, request: web.Request) -> web.Response:
        return web.Response(body=NOT_FOUND, status=404, content_type="application/json")

    async def _api_route(self, request: web.Request) -> web.Response:
        if not TOKEN.fullmatch(request.match_info["token"]):
            return await self._not_found(request)
        method = request.match_info["method"]
        try:
            raw, files = await read_params(request)
        except ApiError as error:
            self.api.record_rejected(method, {}, error.code)
            return error_response(error)
        if method.lower() == "getupdates":
            return await self._get_updates(raw)
        self.api.requests_in_flight += 1  # until the answer leaves: a test waits for quiet
        try:
            status, body, delay = self.api.handle(method, raw, files)
            if method.lower() in ("setwebhook", "deletewebhook"):
                self._wake_pollers()
            if delay > 0:
                await self.sleep(delay)
            return web.Response(body=body, status=status, content_type="application/json")
        finally:
            self.api.requests_in_flight -= 1

    async def _get_updates(self, raw: dict[str, Any]) -> web.Response:
        """Long polling with Telegram's semantics, including 409 for a superseded poller."""
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_pollers()  # older pollers notice they were superseded
        try:
            params = self.api.begin_get_updates(raw)
            timeout = max(0, optional_int(params, "timeout") or 0)
            limit = min(max(optional_int(params, "limit") or MAX_UPDATES_LIMIT, 1), 100)
        except ApiError as error:
            return error_response(error)
        assert self.loop is not None
        deadline = self.loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                return error_response(ApiError(409, CONFLICT))
            try:
                batch = self.api.take_updates(params, limit)
            except ApiError as error:
                return error_response(error)
            remaining = deadline - self.loop.time()
            if batch or remaining <= 0 or self.closing:
                return json_response({"ok": True, "result": batch})
            await self._wait_for_update(remaining)

    async def _wait_for_update(self, seconds: float) -> None:
        assert self.loop is not None
        waiter: asyncio.Future[None] = self.loop.create_future()
        self._waiters.add(waiter)
        try:
            await asyncio.wait({waiter}, timeout=seconds)
        finally:
            self._waiters.discard(waiter)

    async def _control_route(self, request: web.Request) -> web.Response:
        from tests.fakes.control import CONTROL_ACTIONS

        action = CONTROL_ACTIONS.get(request.match_info["action"])
        if action is None:
            return json_response({"ok": False, "description": "unknown control action"}, 404)
        body: dict[str, Any] = dict(request.query)
        try:
            if request.can_read_body:
                data = await request.json()
                if isinstance(data, dict):
                    body.update(data)
            result = await action(self.api, body)
        except (ValueError, KeyError, TypeError) as err:
            return json_response({"ok": False, "description": str(err)}, 400)
        except AssertionError as err:
            return json_response({"ok": False, "description": str(err)}, 408)
        return json_response({"ok": True, "result": result})
