"""The answer log's retention: old raw answers become per-topic totals, in one transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection

from bot.storage.repositories import answers


def fold_old_answers(connection: Connection, *, now: datetime, retention_days: int) -> int:
    """Fold answers older than the retention period into totals and delete them; the count.

    Nothing a learner sees changes: /progress reads per-question memory, not the log, and the
    per-topic totals keep every answer counted.
    """
    return answers.fold_before(connection, now - timedelta(days=retention_days))
