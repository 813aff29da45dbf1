"""What an operator (ADMIN_USER_IDS) may see: totals only, never anything about one person."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from bot.core.content import ContentBank
from bot.storage.repositories import deliveries, subscriptions, users


@dataclass(frozen=True, slots=True)
class OperatorStats:
    users: int
    subscribers: int
    deliveries_by_status: dict[str, int]  # the ledger's last 14 days
    topics: int
    questions: int
    tips: int


def operator_stats(connection: Connection, bank: ContentBank) -> OperatorStats:
    """Counts for /stats: how the instance is used, in aggregate."""
    return OperatorStats(
        users=users.count(connection),
        subscribers=subscriptions.count_active(connection),
        deliveries_by_status=dict(deliveries.status_counts(connection)),
        topics=len(bank.topics),
        questions=len(bank.questions),
        tips=len(bank.tips),
    )
