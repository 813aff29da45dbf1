"""The cross-replica bulk budget's one transaction: reserve the next few send slots."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Connection

from bot.storage.repositories import send_budget
from bot.storage.repositories.send_budget import Reservation

__all__ = ["BULK_BUDGET", "Reservation", "reserve_bulk"]

BULK_BUDGET = 1  # the daily tips' budget (send_budget.budget)


def reserve_bulk(connection: Connection, count: int, rate: float) -> Reservation:
    """`count` slots of the shared daily-tip budget at `rate` messages/s."""
    return send_budget.reserve(connection, BULK_BUDGET, count, timedelta(seconds=1 / rate))
