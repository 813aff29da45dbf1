"""Plain records that repositories return and take, and the core computes with.

They live at the storage level so repositories never import the core: the core reads and writes
through repositories, never the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
