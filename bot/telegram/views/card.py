"""Buttons and lines of the progress card: under /progress, and the weekly row in /settings."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram.callbacks import card
from bot.telegram.callbacks.card import Switch
from bot.telegram.render import button

CARD_KEYBOARD = InlineKeyboardMarkup([[button("📊 Card", card.SHOW)]])
CARD_FIRST_LINE = "📊 Your progress card"
WEEKLY_FIRST_LINE = "📊 Your weekly progress card"


def weekly_line(on: bool) -> str:
    return f"Weekly card: {'on, every Monday at your tip time' if on else 'off'}"


def weekly_button(on: bool) -> InlineKeyboardButton:
    """The settings row's switch: it offers the opposite of what is on now."""
    if on:
        return button("📊 Stop the weekly card", card.weekly(Switch.OFF))
    return button("📊 Get a weekly card", card.weekly(Switch.ON))
