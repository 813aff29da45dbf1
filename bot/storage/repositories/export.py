"""Every row held about one user, read generically from the schema.

A table is "about a user" when it has a `user_id` column (the `users` table itself: its `id`).
The list is computed from `METADATA`, so a table added later is exported (and checked by the
/forget tests) without anyone remembering to add it here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Connection, Select, Table, bindparam, select

from bot.storage.tables import METADATA, USERS


def user_column(table: Table) -> Column[Any] | None:
    """The column that names the user a row is about; None for tables about nobody."""
    if table is USERS:
        return USERS.c.id
    return table.c.get("user_id")


# In dependency order (users first), so an export reads like the schema.
USER_TABLES: tuple[Table, ...] = tuple(
    table for table in METADATA.sorted_tables if user_column(table) is not None
)


def _rows_of(table: Table) -> Select[Any]:
    column = user_column(table)
    assert column is not None
    return select(table).where(column == bindparam("user_id")).order_by(*table.primary_key)


# ------------------------------------------------------------------ statements, built at import
_ROWS = {table.name: _rows_of(table) for table in USER_TABLES}


def rows_about(connection: Connection, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Table name -> that user's rows as column name -> value, for every table about users."""
    return {
        name: [dict(row) for row in connection.execute(statement, {"user_id": user_id}).mappings()]
        for name, statement in _ROWS.items()
    }
