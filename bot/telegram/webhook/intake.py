"""What one webhook POST means: the secret, the body, the dedupe claim, then PTB's queue.

Kept apart from the HTTP server so each answer (403, 400, 503, 200) is one readable branch.
On PostgreSQL (replicas may share the database) an update also enters the shared inbox and is
run by `ReplicaOrdering`, so each sender's updates take turns across replicas; on SQLite it goes
straight to PTB's queue.
Telegram retries any answer that is not 2xx, so 503 is only for trouble on our side that a
retry can cure (the database did not answer); a body we can never use gets 400.
"""

from __future__ import annotations

import hmac
import json
import logging
from http import HTTPStatus
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update

from bot.flows import updates as update_flow
from bot.telegram.services import Services
from bot.telegram.webhook.ordering import ReplicaOrdering, lane_of

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class UpdateIntake:
    """Accepts a delivery for PTB's update queue, at most once per update id across replicas."""

    def __init__(self, application: Any, services: Services, secret: str) -> None:
        self.application = application
        self.services = services
        self.secret = secret.encode()
        database = services.database
        self.ordering = (
            None if database.inline else ReplicaOrdering(application, database, services.clock)
        )

    async def receive(self, secret_header: str | None, body: bytes) -> HTTPStatus:
        """The HTTP status for one POST; the update is queued only on a first 200."""
        if not self.secret_matches(secret_header):
            return HTTPStatus.FORBIDDEN
        update = self.parse(body)
        if update is None:
            return HTTPStatus.BAD_REQUEST
        lane = lane_of(update) if self.ordering is not None else None
        try:
            first_time = await self.services.database.run(
                lambda c: update_flow.accept(c, update.update_id, self.services.clock(), lane)
            )
        except SQLAlchemyError as error:
            log.warning("webhook: could not record an update (%s); Telegram will retry", error)
            return HTTPStatus.SERVICE_UNAVAILABLE
        if first_time and self.ordering is not None and lane is not None:
            # Not awaited: Telegram gets its 200 now; Application.stop waits for these tasks.
            self.application.create_task(self.ordering.handle(update, lane), update=update)
        elif first_time:
            await self.application.update_queue.put(update)
        else:
            log.debug("webhook: update %s was already accepted; ignored", update.update_id)
        return HTTPStatus.OK

    def secret_matches(self, header: str | None) -> bool:
        """Constant-time, so the answer's timing does not reveal how much of a guess was right."""
        if header is None:
            return False
        return hmac.compare_digest(header.encode(), self.secret)

    def parse(self, body: bytes) -> Update | None:
        """An Update with an integer update_id, or None for anything else."""
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return None
        update_id = data.get("update_id") if isinstance(data, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            return None
        try:
            return Update.de_json(data, self.application.bot)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
