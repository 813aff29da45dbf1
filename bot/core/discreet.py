"""Discreet mode: what it changes, as data, so the flows, views and delivery agree.

Discreet mode is for readers who may be watched: what the bot sends on its own arrives silently,
starts with a line that says nothing about the subject, cannot be forwarded or saved, and
lessons can delete themselves after a few hours (Telegram lets a bot delete its messages for 48
hours, so every choice stays well inside that window).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

DELETE_AFTER_HOURS = (1, 6, 24)
DAILY_FIRST_LINE = "📝 <i>Your daily note</i>"
WEEKLY_FIRST_LINE = "📝 Your weekly note"
# Telegram refuses to delete a bot's message older than this; past it a row is only dropped.
DELETE_WINDOW = timedelta(hours=48)


@dataclass(frozen=True, slots=True)
class Preferences:
    """A user's discreet-mode and weekly-card choices; the defaults are a new user's."""

    discreet: bool = False
    delete_after_hours: int | None = None  # None: lessons stay
    weekly_card: bool = False

    def delete_at(self, sent_at: datetime) -> datetime | None:
        """When a lesson sent now should delete itself, or None to keep it."""
        if not self.discreet or self.delete_after_hours is None:
            return None
        return sent_at + timedelta(hours=self.delete_after_hours)


@dataclass(frozen=True, slots=True)
class MessageRef:
    """One message the bot sent and will delete."""

    chat_id: int
    message_id: int
