"""What a user sees after pressing a button, read from the fake Bot API's request log."""

from __future__ import annotations

from tests.fakes.bot_api import FakeBotAPI


def answers_to(api: FakeBotAPI, query_id: str) -> list[str]:
    """The texts of every answerCallbackQuery for one press (a real client shows only one)."""
    return [
        str(r.params.get("text", ""))
        for r in api.calls("answerCallbackQuery")
        if r.params["callback_query_id"] == query_id
    ]


def bot_requests_besides_answers(api: FakeBotAPI) -> list[str]:
    """Methods the bot called other than polling and answering buttons (sends, edits, ...)."""
    return [
        r.method for r in api.requests if r.method not in ("getUpdates", "answerCallbackQuery")
    ]
