"""One way to start a repeating job, shared by every job the bot runs.

Every job is a database sweep that must survive restarts, so they all want the same APScheduler
options: a start replaces any job of that name, runs missed while busy collapse into one
(`coalesce`), and a slow run is never overlapped by the next (`max_instances=1`).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any


def repeat(
    application: Any,
    callback: Callable[[Any], Coroutine[Any, Any, None]],
    *,
    name: str,
    interval: float | timedelta,
    first: float | timedelta,
    misfire_grace: float | None = None,
) -> None:
    """Run `callback` every `interval`, first after `first` (called from post_init).

    `misfire_grace` lets a run that started late still run instead of being skipped.
    """
    if application.job_queue is None:
        raise RuntimeError(
            f"the {name} job needs the job queue: install python-telegram-bot[job-queue]"
        )
    for old in application.job_queue.get_jobs_by_name(name):
        old.schedule_removal()
    job_kwargs: dict[str, Any] = {"coalesce": True, "max_instances": 1}
    if misfire_grace is not None:
        job_kwargs["misfire_grace_time"] = int(misfire_grace)
    application.job_queue.run_repeating(
        callback, interval=interval, first=first, name=name, job_kwargs=job_kwargs
    )
