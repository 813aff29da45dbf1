"""The facts /progress shows besides per-question memory, read in one statement.

/progress runs often, and each statement costs far more in SQLAlchemy than in SQLite itself,
so the user's zone, explainers read and tips seen come back together as (kind, value) rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, String, bindparam, literal, select, union_all

from bot.storage.tables import EXPLAINER_READS, TIPS_SEEN, USERS

# ------------------------------------------------------------------ statements, built at import
_FACTS = union_all(
    select(literal("zone", String).label("kind"), USERS.c.timezone.label("value")).where(
        USERS.c.id == bindparam("user_id")
    ),
    select(literal("read", String), EXPLAINER_READS.c.explainer_id).where(
        EXPLAINER_READS.c.user_id == bindparam("user_id")
    ),
    select(literal("tip", String), TIPS_SEEN.c.tip_id).where(
        TIPS_SEEN.c.user_id == bindparam("user_id")
    ),
)


@dataclass
class ProgressFacts:
    timezone: str | None = None
    explainers_read: set[str] = field(default_factory=set)
    tips_seen: set[str] = field(default_factory=set)


def facts_of(connection: Connection, user_id: int) -> ProgressFacts:
    """The user's stored zone, the explainers they finished and the tips they have seen."""
    facts = ProgressFacts()
    for kind, value in connection.execute(_FACTS, {"user_id": user_id}):
        if kind == "zone":
            facts.timezone = value
        elif kind == "read":
            facts.explainers_read.add(value)
        else:
            facts.tips_seen.add(value)
    return facts
