"""One INSERT ... ON CONFLICT statement for SQLite and PostgreSQL alike.

A single upsert is several times cheaper than get-then-modify through the ORM
(telegram_reference.md section 6) and is atomic, so double taps cannot race.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.storage.models.base import Base, table_of


def insert_for(session: Session, model: type[Base]) -> Any:
    """The dialect's Core `insert()` on a model's table, which supports `on_conflict_do_*`.

    On the table, not the ORM entity: the statement then skips the ORM's bulk-persistence layer.
    """
    table = table_of(model)
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
