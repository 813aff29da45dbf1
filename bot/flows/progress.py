"""What /progress shows, read in one transaction."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from bot.core import local_time
from bot.core.content import ContentBank
from bot.core.progress import ProgressSummary, summarize
from bot.storage.repositories import memory, progress, reading


def progress_of(
    connection: Connection,
    bank: ContentBank,
    *,
    user_id: int,
    now: datetime,
    default_zone: ZoneInfo,
) -> ProgressSummary:
    """Read everything /progress needs in one transaction and summarize it."""
    facts = progress.facts_of(connection, user_id)
    zone = local_time.zone_of(facts.timezone, default_zone)
    read = [e for e in bank.explainers if e.id in facts.explainers_read]
    return summarize(
        bank,
        list(memory.for_user(connection, user_id).values()),
        explainers_read=len(read),
        topics_read={e.topic for e in read},
        # Tips removed from the bank since no longer count, so "seen" never exceeds the total.
        tips_seen=sum(1 for tip_id in facts.tips_seen if bank.tip(tip_id)),
        active_days=reading.active_days(connection, user_id),
        today=local_time.local_date(zone, now),
        now=now,
    )
