"""Remember which callback queries this bot has answered, so the error handler never answers twice.

Telegram accepts one answer per callback query; a second one is refused. A handler that fails
after answering must not be answered again by the error handler, but PTB's CallbackQuery has no
public "answered" flag. Every answer goes through the bot's HTTP request object, so that is where
it is recorded: no handler has to remember to mark anything.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from telegram.request import BaseRequest, HTTPXRequest, RequestData

ANSWER = "/answerCallbackQuery"
ANSWERS_KEY = "answer_tracking"  # bot_data key of the application's AnswerTrackingRequest
REMEMBERED = 4096  # far more queries than can be in flight at once


class AnswerTrackingRequest(HTTPXRequest):
    """The bot's main connection; notes each callback query id an answer is sent for."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._answered: OrderedDict[str, None] = OrderedDict()

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
        if url.endswith(ANSWER) and request_data is not None:
            # Noted before sending: an answer that failed will not succeed the second time.
            self._note(str(request_data.parameters.get("callback_query_id")))
        return await super().do_request(url, method, request_data, *timeouts)

    def _note(self, query_id: str) -> None:
        self._answered[query_id] = None
        while len(self._answered) > REMEMBERED:
            self._answered.popitem(last=False)

    def has_answered(self, query_id: str) -> bool:
        return query_id in self._answered


def already_answered(bot_data: Mapping[str, Any], query_id: str) -> bool:
    """True if an answer to this query was sent (or tried) through the bot's tracking request."""
    request = bot_data.get(ANSWERS_KEY)
    return isinstance(request, AnswerTrackingRequest) and request.has_answered(query_id)
