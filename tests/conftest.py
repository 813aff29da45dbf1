"""Shared fixtures: settings isolated from the developer's environment, databases, content."""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.config import PROJECT_ROOT
from bot.contentbank.loader import load_content
from bot.core.content import ContentBank
from bot.storage import migrate
from bot.storage.database import Database

CONTENT_DIR = PROJECT_ROOT / "content"
BOT_ENV_VARIABLES = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "TELEGRAM_API_BASE_FILE_URL",
    "DATABASE_URL",
    "CONTENT_DIR",
    "ADMIN_USER_IDS",
    "DEFAULT_TIMEZONE",
    "LOG_LEVEL",
    "TELEGRAM_RATE_LIMIT",
    "TIPS_RATE_LIMIT",
    "TIPS_PAID_BROADCAST",
    "TIPS_CHECK_INTERVAL",
    "UPDATES_IN_FLIGHT",
    "ANSWER_RETENTION_DAYS",
    "USER_QUEUE_LIMIT",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "WEBHOOK_LISTEN",
    "WEBHOOK_PORT",
)


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never read the developer's .env or bot variables, and write under tmp_path."""
    for name in BOT_ENV_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def content_bank() -> ContentBank:
    return load_content(CONTENT_DIR)


# A stock PostgreSQL server has a `postgres` database; each test creates and drops its own.
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
ENABLE_POSTGRES = (
    "set TEST_POSTGRES_URL=postgresql+psycopg://USER@HOST:PORT/DATABASE "
    "(a user who may CREATE DATABASE) to run them"
)


def postgres_url() -> str | None:
    """TEST_POSTGRES_URL, else the local stock server; an empty value turns PostgreSQL off."""
    return os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL) or None


@functools.cache
def postgres_unavailable() -> str | None:
    """Why the PostgreSQL tests cannot run on this machine, or None when they can."""
    url = postgres_url()
    if url is None:
        return "TEST_POSTGRES_URL is empty"
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return None
    except Exception as error:  # any failure to connect means: not here
        shown = make_url(url).render_as_string(hide_password=True)
        reason = str(getattr(error, "orig", error)).strip().splitlines()
        return f"cannot connect to {shown}: {reason[0] if reason else type(error).__name__}"
    finally:
        engine.dispose()


def require_postgres() -> str:
    """The server's URL; skips the test, saying why and how to enable it, when there is none."""
    reason = postgres_unavailable()
    if reason is not None:
        pytest.skip(f"PostgreSQL tests skipped: {reason}; {ENABLE_POSTGRES}")
    url = postgres_url()
    assert url is not None
    return url


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """One line at the end when the PostgreSQL half of the suite did not run."""
    if postgres_unavailable.cache_info().currsize and postgres_unavailable() is not None:
        terminalreporter.write_line(
            f"PostgreSQL tests were skipped ({postgres_unavailable()}); {ENABLE_POSTGRES}.",
            yellow=True,
        )


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a fresh SQLite file, or a fresh PostgreSQL database dropped after."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    yield from fresh_postgres_database()


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """An open Database on a fresh, fully migrated database (SQLite and PostgreSQL)."""
    migrate.upgrade(database_url)
    opened = Database(database_url)
    yield opened
    opened.close()


def fresh_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database on the test server, dropped afterwards."""
    base = make_url(require_postgres())
    name = f"bot_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
