"""Shared fixtures: settings isolated from the developer's environment, databases, content."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

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


def postgres_url() -> str | None:
    """The PostgreSQL server for tests; scripts/test.sh sets it, "" leaves Postgres out."""
    return os.environ.get("TEST_POSTGRES_URL") or None


def database_backends() -> list[str]:
    return ["sqlite", "postgresql"] if postgres_url() else ["sqlite"]


@pytest.fixture(params=database_backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a fresh SQLite file, or a fresh PostgreSQL database dropped after."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    yield from _fresh_postgres_database()


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """An open Database on a fresh, fully migrated database (SQLite and PostgreSQL)."""
    migrate.upgrade(database_url)
    opened = Database(database_url)
    yield opened
    opened.close()


def _fresh_postgres_database() -> Iterator[str]:
    base = make_url(postgres_url() or "")
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
