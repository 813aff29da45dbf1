"""One INSERT ... ON CONFLICT statement for SQLite and PostgreSQL alike.

A single upsert is several times cheaper than get-then-modify through the ORM
(telegram_reference.md section 6) and is atomic, so double taps cannot race.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Session


def insert_for(session: Session, model: type[DeclarativeBase]) -> Any:
    """The dialect's `insert()` for a model, which supports `on_conflict_do_*`."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)
