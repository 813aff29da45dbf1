"""The schema a database holds, read from its catalog, as plain rows to compare.

Alembic's `compare_metadata` reads the schema through SQLAlchemy's inspector, which leaves out
partial-index conditions and column order; the catalog's own DDL does not.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine

SQLITE_SCHEMA = text(
    "SELECT type, name, tbl_name, sql FROM sqlite_master"
    " WHERE name NOT IN ('alembic_version', 'sqlite_sequence')"
    " AND name NOT LIKE 'sqlite_autoindex_%' ORDER BY type, name"
)
POSTGRES_COLUMNS = text(
    "SELECT table_name, ordinal_position, column_name, data_type, character_maximum_length,"
    " is_nullable, column_default FROM information_schema.columns"
    " WHERE table_schema = 'public' AND table_name <> 'alembic_version' ORDER BY 1, 2"
)
POSTGRES_INDEXES = text(
    "SELECT tablename, indexname, indexdef FROM pg_indexes"
    " WHERE schemaname = 'public' AND tablename <> 'alembic_version' ORDER BY 1, 2"
)
POSTGRES_CONSTRAINTS = text(
    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
    " WHERE connamespace = 'public'::regnamespace"
    " AND conrelid::regclass::text <> 'alembic_version' ORDER BY 1, 2"
)


def schema_of(engine: Engine) -> list[tuple[object, ...]]:
    """Every table, column, index and constraint, in a stable order (not Alembic's table)."""
    queries = (
        [SQLITE_SCHEMA]
        if engine.dialect.name == "sqlite"
        else [POSTGRES_COLUMNS, POSTGRES_INDEXES, POSTGRES_CONSTRAINTS]
    )
    with engine.connect() as connection:
        return [tuple(row) for query in queries for row in connection.execute(query)]
