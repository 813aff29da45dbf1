"""The main menu's own buttons; its other buttons belong to the quiz, tips and daily features."""

from __future__ import annotations

from bot.telegram.callbacks.codec import constant

LEARN, LEARN_PATTERN = constant("menu:learn")
PROGRESS, PROGRESS_PATTERN = constant("menu:progress")
