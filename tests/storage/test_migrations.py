"""Migrations: upgrade an empty database to head, match the tables, downgrade to base."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from bot.storage import migrate
from bot.storage.database import create_db_engine
from bot.storage.tables import METADATA
from tests.storage.schema import schema_of


@pytest.fixture
def migrated(database_url: str) -> Iterator[Engine]:
    """An engine on a database that the migrations brought to head."""
    migrate.upgrade(database_url)
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


def test_upgrade_to_head_creates_every_table(database_url: str, migrated: Engine) -> None:
    assert migrate.current_revision(database_url) == migrate.head_revision()
    assert set(METADATA.tables) <= set(inspect(migrated).get_table_names())


def test_tables_match_migrations(migrated: Engine) -> None:
    """Alembic's own comparison: what autogenerate would write for a new migration is nothing."""
    with migrated.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        differences = compare_metadata(context, METADATA)
    assert differences == [], f"tables and migrations differ: {differences}"


def test_tables_create_exactly_the_migrated_schema(
    migrated: Engine, second_database_url: str
) -> None:
    """Stricter than autogenerate, which skips partial-index conditions and column order: the
    DDL that METADATA emits builds, statement for statement, the schema the migrations build."""
    created = create_db_engine(second_database_url)
    try:
        METADATA.create_all(created)
        assert schema_of(created) == schema_of(migrated)
    finally:
        created.dispose()


def test_downgrade_to_base_removes_everything(database_url: str) -> None:
    migrate.upgrade(database_url)
    migrate.downgrade(database_url, "base")
    engine = create_db_engine(database_url)
    try:
        tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()
    assert tables == set()
    assert migrate.current_revision(database_url) is None


def test_upgrade_is_idempotent(database_url: str) -> None:
    migrate.upgrade(database_url)
    migrate.upgrade(database_url)
    assert migrate.current_revision(database_url) == migrate.head_revision()
