"""The daily maintenance job: fold answers past ANSWER_RETENTION_DAYS into per-topic totals.

One repeating job, like the daily tips: nothing per user, and a restart just runs it again soon
after start (folding is idempotent: old rows are gone once folded).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from bot.flows.retention import fold_old_answers
from bot.telegram.context import Context
from bot.telegram.jobs import repeat
from bot.telegram.services import Services, get_services

log = logging.getLogger(__name__)

JOB_NAME = "answer-retention"
INTERVAL = timedelta(days=1)
FIRST_RUN = timedelta(minutes=1)  # after start-up's burst of updates, not during it


async def fold_answers(context: Context) -> None:
    """The job: one transaction that folds and deletes the expired answers."""
    await fold_with(get_services(context))


async def fold_with(services: Services) -> int:
    """One sweep with these services; how many answers were folded."""
    now = services.clock()
    days = services.settings.answer_retention_days
    folded = await services.database.run(
        lambda c: fold_old_answers(c, now=now, retention_days=days)
    )
    if folded:
        log.info("answer log: folded %d answers older than %d days into totals", folded, days)
    return folded


def schedule_maintenance(application: Any) -> None:
    """Start the daily job (called from the application's post_init)."""
    repeat(application, fold_answers, name=JOB_NAME, interval=INTERVAL, first=FIRST_RUN)
