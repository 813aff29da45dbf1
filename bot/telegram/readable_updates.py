"""Skip an update python-telegram-bot cannot read, instead of fetching it again forever.

PTB parses a whole getUpdates batch at once; if one update fails (a field Telegram added, or a
broken proxy), PTB logs the raw batch (users' names and messages) and returns without confirming
the offset, so the same batch comes back at once, in a tight loop, and every update in it is
lost. This request class, used only for getUpdates, notices a batch that came back unconfirmed
and replaces each unreadable update with a bare one (its id alone): no handler matches it, PTB
confirms the offset, and the other updates of the batch are handled as usual.

Only a batch that came back is checked update by update (a healthy bot parses each update once),
and the check works on the raw response, below PTB's parsing.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from telegram import Update
from telegram.request import BaseRequest, HTTPXRequest, RequestData

log = logging.getLogger(__name__)

GET_UPDATES = "/getUpdates"


class ReadableUpdatesRequest(HTTPXRequest):
    """The getUpdates connection: passes batches through, repairs one that came back unread."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._unconfirmed_offset: object = None
        self._batch_pending = False

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        timeouts = (read_timeout, write_timeout, connect_timeout, pool_timeout)
        status, payload = await super().do_request(url, method, request_data, *timeouts)
        if not url.endswith(GET_UPDATES) or status != HTTPStatus.OK:
            return status, payload
        offset = request_data.parameters.get("offset") if request_data else None
        if self._batch_pending and offset == self._unconfirmed_offset:
            payload = repaired(payload)  # the last batch came back: PTB could not read it
        self._unconfirmed_offset = offset
        self._batch_pending = b'"update_id"' in payload
        return status, payload


def repaired(payload: bytes) -> bytes:
    """The getUpdates response with every unreadable update reduced to its id."""
    try:
        body = json.loads(payload)
        updates = body["result"]
    except (ValueError, TypeError, KeyError):
        return payload  # not a batch at all: PTB reports that itself
    if not isinstance(updates, list):
        return payload
    body["result"] = [readable(update) for update in updates]
    return json.dumps(body).encode()


def readable(update: Any) -> Any:
    """The update itself if PTB can read it, else only its id (logged once, without contents)."""
    if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
        return update  # nothing to confirm it by; leave it to PTB
    try:
        Update.de_json(update, None)
    except Exception as error:  # whatever PTB raises, the update is unreadable
        kinds = sorted(key for key in update if key != "update_id")
        log.warning(
            "skipped update %s (%s): python-telegram-bot cannot read it (%s)",
            update["update_id"],
            ", ".join(kinds) or "empty",
            type(error).__name__,
        )
        return {"update_id": update["update_id"]}
    return update
