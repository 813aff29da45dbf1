"""Send a progress card: the PNG as an in-memory upload, with its facts as the caption.

The caption is plain text (no parse mode), so topic titles need no escaping and a screen reader
reads exactly what the picture shows.
"""

from __future__ import annotations

import io
from typing import Any

from telegram import Bot, InputFile

from bot.core.card import CardFacts, caption
from bot.images.card import render_card


async def send_card(
    bot: Bot,
    chat_id: int,
    facts: CardFacts,
    *,
    first_line: str,
    discreet: bool = False,
    **send_options: Any,
) -> int:
    """sendPhoto with the card; `discreet` sends it silently and unforwardable. Message id."""
    photo = InputFile(io.BytesIO(render_card(facts)), filename="progress.png")
    message = await bot.send_photo(
        chat_id,
        photo,
        caption=caption(facts, first_line),
        parse_mode=None,
        disable_notification=True if discreet else None,
        protect_content=True if discreet else None,
        **send_options,
    )
    return message.message_id
