"""One row about a user in every table of the schema, written generically, and a scan of every
table the database holds for anything left of them.

Generic on purpose: a table added to `METADATA` later gets a row here without anyone writing a
fixture for it, so the /mydata and /forget tests cover it on the day it lands.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Column, Connection, MetaData, String, Table, TypeDecorator, insert, select

from bot.storage.repositories.export import user_column
from bot.storage.tables import METADATA

WHEN = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def marker(user_id: int) -> str:
    """The text written in every string column of a user's rows: short enough for String(8)."""
    return f"x{user_id}"


def fill_every_table(connection: Connection, user_id: int) -> dict[str, dict[str, Any]]:
    """Insert one row per table for `user_id` (parents first); table name -> the row written.

    Tables about nobody (no user column) get a row too, so the scan proves they hold no trace.
    """
    written: dict[str, dict[str, Any]] = {}
    for table in METADATA.sorted_tables:
        row = {column.name: _value(table, column, user_id, written) for column in table.columns}
        connection.execute(insert(table), row)
        written[table.name] = row
    return written


def _value(table: Table, column: Column[Any], user_id: int, written: dict[str, Any]) -> Any:
    if column is user_column(table):
        return user_id
    for key in column.foreign_keys:  # another table's row of the same user
        return written[key.column.table.name][key.column.name]
    stored = column.type.impl_instance if isinstance(column.type, TypeDecorator) else column.type
    kind: type[Any] = stored.python_type
    if kind is bool:
        return True
    if kind is int:
        # Surrogate keys unique per user; counts small and never equal to a user id.
        return user_id % 100_000 + 7 if column.primary_key else 3
    if kind is str:
        text = marker(user_id)
        length = column.type.length if isinstance(column.type, String) else None
        assert length is None or len(text) <= length, f"{table.name}.{column.name} too short"
        return text
    if kind is datetime:
        return WHEN
    if kind is date:
        return WHEN.date()
    if kind is time:
        return time(8, 30)
    raise AssertionError(f"no test value for {table.name}.{column.name} ({kind})")


def traces_of(connection: Connection, user_id: int) -> dict[str, int]:
    """Every table in the database (read from its catalog, not from METADATA) -> how many rows
    hold the user's id or marker in any column; tables with none are left out."""
    schema = MetaData()
    schema.reflect(connection)
    found: dict[str, int] = {}
    needles = (str(user_id), marker(user_id))
    for table in schema.sorted_tables:
        hits = sum(
            1
            for row in connection.execute(select(table))
            if any(value == user_id or any(n in str(value) for n in needles) for value in row)
        )
        if hits:
            found[table.name] = hits
    return found
