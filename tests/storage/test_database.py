"""The engine: verified SQLite settings, and work that runs off the event loop."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.storage import migrate
from bot.storage.database import Database, create_db_engine, sqlite_pragmas
from bot.storage.repositories import users
from tests.storage import queries


def test_sqlite_file_and_folder_are_created_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'folder' / 'bot.sqlite3'}"
    engine = create_db_engine(url)
    try:
        pragmas = sqlite_pragmas(engine)
    finally:
        engine.dispose()
    assert (tmp_path / "new" / "folder" / "bot.sqlite3").exists()
    assert pragmas["journal_mode"] == "wal"
    assert pragmas["foreign_keys"] == "1"
    assert int(pragmas["busy_timeout"]) >= 5000
    assert pragmas["synchronous"] == "1"
    assert pragmas["secure_delete"] == "1"  # /forget zeroes the bytes, not only the rows


def test_relative_default_url_lands_under_data(tmp_path: Path) -> None:
    database = Database("sqlite:///data/bot.sqlite3")  # cwd is tmp_path (conftest)
    try:
        database.run_sync(lambda s: s.execute(text("SELECT 1")))
    finally:
        database.close()
    assert (tmp_path / "data" / "bot.sqlite3").exists()


async def test_run_is_inline_for_sqlite_and_threaded_for_postgres(database_url: str) -> None:
    migrate.upgrade(database_url)
    database = Database(database_url)
    loop_thread = threading.get_ident()
    try:
        worker_thread = await database.run(lambda s: threading.get_ident())
        now = datetime.now(UTC)
        await asyncio.gather(*(database.run(lambda s: users.touch(s, 42, now)) for _ in range(5)))
        assert await database.run(users.count) == 1
    finally:
        database.close()
    on_loop = database_url.startswith("sqlite")
    assert (worker_thread == loop_thread) is on_loop


def test_failed_work_is_rolled_back(database_url: str) -> None:
    migrate.upgrade(database_url)
    database = Database(database_url)
    now = datetime.now(UTC)

    def touch_then_fail(connection) -> None:
        users.touch(connection, 7, now)
        raise RuntimeError("boom")

    try:
        with pytest.raises(RuntimeError):
            database.run_sync(touch_then_fail)
        assert database.run_sync(lambda s: queries.user_exists(s, 7)) is False
    finally:
        database.close()


def test_blocked_user_becomes_reachable_again_on_touch(database_url: str) -> None:
    migrate.upgrade(database_url)
    database = Database(database_url)
    now = datetime.now(UTC)
    try:
        database.run_sync(lambda s: users.touch(s, 9, now))
        database.run_sync(lambda s: users.set_reachable(s, 9, False))
        assert database.run_sync(lambda s: queries.is_reachable(s, 9)) is False
        database.run_sync(lambda s: users.touch(s, 9, now))
        assert database.run_sync(lambda s: queries.is_reachable(s, 9)) is True
    finally:
        database.close()
