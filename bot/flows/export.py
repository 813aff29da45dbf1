"""/mydata: every row held about one user, as a JSON document they can keep."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlalchemy import Connection

from bot.storage.repositories import export

JsonRow = dict[str, Any]


@dataclass(frozen=True, slots=True)
class UserExport:
    """Table name -> that user's rows (column name -> JSON value), every user table listed."""

    user_id: int
    tables: dict[str, list[JsonRow]]

    def row_counts(self) -> dict[str, int]:
        """Rows per table, only tables that hold something (for the summary message)."""
        return {name: len(rows) for name, rows in self.tables.items() if rows}

    def is_empty(self) -> bool:
        return not any(self.tables.values())


def export_user(connection: Connection, user_id: int) -> UserExport:
    """Read every table about users once, in one transaction, so the file is one moment's view."""
    tables = export.rows_about(connection, user_id)
    return UserExport(
        user_id,
        {name: [_json_row(row) for row in rows] for name, rows in tables.items()},
    )


def export_json(found: UserExport) -> bytes:
    """The file's bytes: readable (indented, keys as the columns are named), UTF-8."""
    document = {
        "about": "Everything this bot stores about Telegram user id "
        f"{found.user_id}, one entry per table, one object per row.",
        "user_id": found.user_id,
        "tables": found.tables,
    }
    return json.dumps(document, indent=2, ensure_ascii=False).encode()


def _json_row(row: dict[str, Any]) -> JsonRow:
    return {column: _json_value(value) for column, value in row.items()}


def _json_value(value: Any) -> Any:
    """Datetimes, dates and times as ISO 8601 (datetimes keep their UTC offset)."""
    if isinstance(value, date | time):  # datetime is a date
        return value.isoformat()
    return value
