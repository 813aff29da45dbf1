"""`content stats`: item analysis of the bank's questions over the retained answer log."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from bot.core.content import ContentBank
from bot.core.item_analysis import DEFAULT_MIN_ANSWERS, ItemReport, analyse
from bot.storage.repositories import answers


@dataclass(frozen=True, slots=True)
class StatsReport:
    items: ItemReport
    # All answers ever given per topic (folded totals plus the retained log): (answered, correct).
    topics: dict[str, tuple[int, int]]


def item_stats(
    connection: Connection, bank: ContentBank, *, min_answers: int = DEFAULT_MIN_ANSWERS
) -> StatsReport:
    """Read the log once and analyse every question in the bank; aggregates only."""
    items = analyse(bank.questions, answers.counts(connection), min_answers)
    return StatsReport(items, answers.topic_totals(connection))
