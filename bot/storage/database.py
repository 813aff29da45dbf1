"""The engine, verified SQLite settings, and how database work runs beside the event loop.

Repositories are plain functions over a sync Core `Connection`; `Database.run` decides where
they run:

- SQLite: inline, on the event loop. Statements on a local file take tens of microseconds, and a
  worker thread made them slower, not faster: sqlite3 releases the GIL around every statement
  and must win it back from the busy loop thread, so each statement waited out the interpreter's
  switch interval (bench/learning_throughput.py; figures in docs/performance.md). Transactions
  stay short (one update's work, never across an HTTP call), so the loop is never held for long.
  Another process may hold the write lock (`tips send-due` beside the bot, an operator's sqlite3
  shell): the loop's connection waits at most `LOOP_BUSY_TIMEOUT_MS` for it, then the work is
  rolled back and run again in a worker thread that may wait the full busy timeout, so one
  blocked transaction never freezes every other user.
  WAL checkpoints stay SQLite's automatic ones: moving them to a background thread was tried,
  and under steady writes the WAL could never restart, so it grew without bound.
- PostgreSQL: a small thread pool, since every statement is a network round trip that the loop
  must not wait on.

A sync Connection rather than AsyncSession or an ORM Session: every statement is Core (the
tables are plain Core tables, bot/storage/tables.py), so a Session's unit of work would be pure
overhead, and the same repositories serve the CLI and terminal chat.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError

T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_MS = 15_000
# How long the event loop itself may wait for another process's write lock before the work moves
# to a worker thread: long enough for a neighbour's ordinary commit, short enough that other
# users do not notice.
LOOP_BUSY_TIMEOUT_MS = 50
SQLITE_BUSY = 5  # sqlite3's primary result code for "database is locked"
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "1",  # NORMAL: safe with WAL, much faster than FULL
    "foreign_keys": "1",
    "busy_timeout": str(SQLITE_BUSY_TIMEOUT_MS),
    # Deleted rows are overwritten with zeros rather than left in free space, so /forget erases
    # the bytes too, not only the rows (with a WAL checkpoint after it: `checkpoint_wal`).
    "secure_delete": "1",
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
    """Owns the engine and, for PostgreSQL, the worker threads."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_db_engine(url)
        self.inline = self.engine.dialect.name == "sqlite"
        self._executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="db")
        self._loop_connection: Connection | None = None

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A connection in a transaction: committed on success, rolled back on error."""
        with self.engine.begin() as connection:
            yield connection

    async def run(self, work: Callable[[Connection], T]) -> T:
        """Run `work(connection)` in one transaction: inline for SQLite, in a thread otherwise.

        `work` only touches the database (no sends, no awaits), so when SQLite's write lock is
        held elsewhere it can be rolled back and run again in a thread, where waiting is harmless.
        """
        loop = asyncio.get_running_loop()
        if self.inline:
            try:
                return self._on_loop_connection(work)
            except OperationalError as error:
                if not _is_locked(error):
                    raise
        return await loop.run_in_executor(self._executor, self._in_transaction, work)

    def run_sync(self, work: Callable[[Connection], T]) -> T:
        """Run `work(connection)` in one transaction on the calling thread (CLI, terminal chat)."""
        return self._in_transaction(work)

    def _in_transaction(self, work: Callable[[Connection], T]) -> T:
        with self.transaction() as connection:
            return work(connection)

    def _on_loop_connection(self, work: Callable[[Connection], T]) -> T:
        """SQLite on the event loop: one connection stays open, so a transaction skips the pool's
        checkout and reset-on-return.

        Work is synchronous and never awaits, so transactions on it cannot interleave.
        """
        connection = self._open_loop_connection()
        with connection.begin():
            return work(connection)

    def _open_loop_connection(self) -> Connection:
        connection = self._loop_connection
        if connection is None or connection.closed or connection.invalidated:
            connection = self._loop_connection = self.engine.connect()
            # Only this connection waits briefly; it goes back to the pool at close() only.
            connection.exec_driver_sql(f"PRAGMA busy_timeout={LOOP_BUSY_TIMEOUT_MS}")
            connection.commit()
        return connection

    def checkpoint_wal(self) -> bool:
        """SQLite: copy the WAL into the database file and truncate it to zero bytes.

        After /forget the WAL still holds the pages as they were before the delete, and
        secure_delete only zeroes the database file: the checkpoint moves the zeroed pages in
        and empties the WAL. True when it completed; False when a reader held it back (SQLite's
        own checkpoints finish the job later). PostgreSQL: nothing to do here (VACUUM reclaims
        dead rows). Runs outside any transaction, on the loop's connection when there is one.
        """
        if not self.inline:
            return True
        connection = self._open_loop_connection()
        # pysqlite sends no BEGIN before a PRAGMA, so this runs in autocommit.
        with connection.begin():
            busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").scalar_one()
        return not busy

    def close(self) -> None:
        if self._loop_connection is not None:
            self._loop_connection.close()
            self._loop_connection = None
        self._executor.shutdown(wait=True)
        self.engine.dispose()


def _is_locked(error: OperationalError) -> bool:
    """SQLITE_BUSY or one of its extended codes: another connection holds the lock."""
    code = getattr(error.orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF == SQLITE_BUSY
    return "database is locked" in str(error.orig)
