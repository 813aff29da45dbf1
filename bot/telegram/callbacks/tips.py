"""The /tip feature's button: "Another tip" (also the main menu's "Tip")."""

from __future__ import annotations

from bot.telegram.callbacks.codec import constant

NEXT, NEXT_PATTERN = constant("tip:next")
