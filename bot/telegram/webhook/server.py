"""The HTTP server Telegram posts to: tornado, which python-telegram-bot[webhooks] installs.

Two routes: POST on the path of WEBHOOK_URL (anything else there is 405) and GET /healthz.
TLS is the reverse proxy's job; this server speaks plain HTTP on WEBHOOK_LISTEN:WEBHOOK_PORT.
"""

from __future__ import annotations

import logging
import re
import socket

from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from bot.config import HEALTH_PATH
from bot.telegram.webhook.health import HealthCheck
from bot.telegram.webhook.intake import SECRET_HEADER, UpdateIntake

log = logging.getLogger(__name__)

# An update is a few kilobytes; refusing big bodies early keeps a flood from filling memory.
MAX_BODY_BYTES = 1024 * 1024


class UpdateRoute(RequestHandler):
    """POST: one update from Telegram."""

    def initialize(self, intake: UpdateIntake) -> None:
        self.intake = intake

    async def post(self) -> None:
        status = await self.intake.receive(
            self.request.headers.get(SECRET_HEADER), self.request.body
        )
        self.set_status(status.value)
        self.finish()


class HealthRoute(RequestHandler):
    """GET: 200 when the database answers, 503 otherwise; the body says which, nothing more."""

    def initialize(self, health: HealthCheck) -> None:
        self.health = health

    async def get(self) -> None:
        healthy = await self.health.healthy()
        self.set_status(200 if healthy else 503)
        self.set_header("Cache-Control", "no-store")
        self.finish({"status": "ok" if healthy else "unavailable"})


def _log_request(handler: RequestHandler) -> None:
    """Successful deliveries are routine (DEBUG); refusals and failures are worth a line."""
    status = handler.get_status()
    level = logging.DEBUG if status < 400 else logging.INFO if status < 500 else logging.WARNING
    log.log(level, "%s %s -> %d", handler.request.method, handler.request.path, status)


class WebhookServer:
    """Binds, serves and stops the two routes."""

    def __init__(self, intake: UpdateIntake, health: HealthCheck, path: str) -> None:
        self.app = Application(
            [
                (re.escape(path), UpdateRoute, {"intake": intake}),
                (re.escape(HEALTH_PATH), HealthRoute, {"health": health}),
            ],
            log_function=_log_request,
        )
        self.http: HTTPServer | None = None
        self.port = 0

    def listen(self, address: str, port: int) -> int:
        """Start accepting connections (port 0: any free port); returns the bound port."""
        sockets: list[socket.socket] = bind_sockets(port, address=address)
        self.http = HTTPServer(self.app, max_body_size=MAX_BODY_BYTES)
        self.http.add_sockets(sockets)
        self.port = int(sockets[0].getsockname()[1])
        return self.port

    async def close(self) -> None:
        """Stop accepting, then let the requests in progress finish."""
        if self.http is None:
            return
        self.http.stop()
        await self.http.close_all_connections()
        self.http = None
