"""INSERT ... ON CONFLICT for SQLite and PostgreSQL alike, built at import for both dialects.

Core has no dialect-neutral upsert: `on_conflict_do_*` lives on each dialect's own `insert()`.
A repository therefore describes an upsert once, as a function of the dialect's `insert`, and
`for_dialects` builds it for both at import; `of(connection)` picks the one to execute. A single
upsert is atomic (double taps cannot race) and cheaper than read-then-write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

# The dialect's `insert(table)`; its statements have `on_conflict_do_nothing/_update`. Typed
# loosely because the two dialects' Insert classes share no base that declares those methods.
InsertFactory = Callable[[Table], Any]
S = TypeVar("S")


@dataclass(frozen=True, slots=True)
class PerDialect(Generic[S]):
    """One statement, built for each dialect the bot runs on."""

    sqlite: S
    postgresql: S

    def of(self, connection: Connection) -> S:
        return self.postgresql if connection.dialect.name == "postgresql" else self.sqlite


def for_dialects(build: Callable[[InsertFactory], S]) -> PerDialect[S]:
    """`build(insert)` with SQLite's and PostgreSQL's `insert`; call at import, not per use."""
    return PerDialect(sqlite=build(sqlite.insert), postgresql=build(postgresql.insert))
