"""Plain records the rules compute with, the flows pass around and the repositories store.

They live in the core so every layer can share them while the core imports nothing from above:
storage depends on these records, never the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Memory:
    """What a user has shown about one question so far."""

    question_id: str
    answered: int
    correct: int
    last_correct: bool
    review_step: int | None
    review_due_at: datetime | None


@dataclass(frozen=True, slots=True)
class ReviewState:
    """Where a question stands on the review ladder after an answer (None = not scheduled)."""

    step: int | None
    due_at: datetime | None


@dataclass(frozen=True, slots=True)
class SeenTip:
    """How often one user has seen one tip, and when last."""

    times_seen: int
    last_seen_at: datetime


@dataclass(frozen=True, slots=True)
class Subscription:
    """A daily-tip subscription as users see it; `timezone` is the zone in effect."""

    user_id: int
    send_time: time
    active: bool
    next_due_at: datetime
    timezone: str


class PromptFlow(StrEnum):
    """Which conversation a pending question belongs to."""

    SUBSCRIBE = "subscribe"
    SETTINGS = "settings"


class Awaiting(StrEnum):
    """What the user's next typed text answers."""

    TIME = "time"
    ZONE = "zone"


@dataclass(frozen=True, slots=True)
class Prompt:
    """A question the bot asked and is waiting for typed text to answer."""

    awaiting: Awaiting
    flow: PromptFlow
