"""The engine, verified SQLite settings, and a way to run blocking database work off the loop.

Why sync sessions in a worker thread instead of AsyncSession: on this stack a sync Session in a
thread costs about half of AsyncSession over aiosqlite per call (telegram_reference.md section 6),
works the same for SQLite and PostgreSQL, and keeps repositories plain functions. SQLite gets a
single worker thread: it allows one writer anyway, and one thread means no "database is locked"
between our own calls. PostgreSQL gets a small pool.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_MS = 15_000
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "1",  # NORMAL: safe with WAL, much faster than FULL
    "foreign_keys": "1",
    "busy_timeout": str(SQLITE_BUSY_TIMEOUT_MS),
}


class DatabaseSetupError(RuntimeError):
    """The database could not be configured as the bot needs (e.g. WAL refused)."""


def create_db_engine(url: str) -> Engine:
    """Create an engine; for SQLite, create the file's folder and set and verify the PRAGMAs."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
    database = parsed.database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _configure_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """Set the PRAGMAs on every new connection and check that SQLite accepted each one.

    WAL can be refused silently (e.g. on some network file systems), so the returned value is
    compared rather than assumed.
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        raise DatabaseSetupError("expected a sqlite3 connection (aiosqlite is not supported)")
    cursor = dbapi_connection.cursor()
    try:
        for name, wanted in SQLITE_PRAGMAS.items():
            cursor.execute(f"PRAGMA {name}={wanted}")
            actual = str(cursor.execute(f"PRAGMA {name}").fetchone()[0]).lower()
            in_memory = name == "journal_mode" and actual == "memory"
            if actual != wanted and not in_memory:
                raise DatabaseSetupError(f"SQLite refused PRAGMA {name}={wanted} (got {actual})")
    finally:
        cursor.close()


def sqlite_pragmas(engine: Engine) -> dict[str, str]:
    """The PRAGMA values a connection of this engine actually runs with (for tests and doctor)."""
    with engine.connect() as connection:
        return {
            name: str(connection.exec_driver_sql(f"PRAGMA {name}").scalar_one()).lower()
            for name in SQLITE_PRAGMAS
        }


class Database:
    """Owns the engine, the session factory and the worker thread(s) for blocking calls."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_db_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        workers = 1 if self.engine.dialect.name == "sqlite" else 4
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="db")

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in a transaction: committed on success, rolled back on error."""
        with self.sessions() as session, session.begin():
            yield session

    async def run(self, work: Callable[[Session], T]) -> T:
        """Run `work(session)` in one transaction on the worker thread; the loop keeps going."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._in_transaction, work)

    def run_sync(self, work: Callable[[Session], T]) -> T:
        """Run `work(session)` in one transaction on the calling thread (CLI, terminal chat)."""
        return self._in_transaction(work)

    def _in_transaction(self, work: Callable[[Session], T]) -> T:
        with self.transaction() as session:
            return work(session)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        self.engine.dispose()
