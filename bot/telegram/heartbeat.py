"""The heartbeat job: touch the heartbeat file while the bot is polling (or serving a webhook).

The job runs on the application's event loop, so a fresh file means the loop is turning and,
in polling mode, the updater is still running; `python -m bot health` reads the file's age
(see bot/core/heartbeat.py). A file that cannot be written is logged, not raised: health then
reports the bot as unhealthy, which is the truth.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from bot.core.heartbeat import INTERVAL, heartbeat_file
from bot.telegram.jobs import repeat
from bot.telegram.services import SERVICES_KEY, Services

log = logging.getLogger(__name__)

JOB_NAME = "heartbeat"
# Seconds: a first beat at "now" is already past when the scheduler starts, and APScheduler
# would then skip to the next interval.
FIRST_BEAT = 1.0


def beat(path: Path, updater: Any) -> bool:
    """Touch the file unless polling has stopped; whether it was touched."""
    if updater is not None and not updater.running:
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    except OSError as error:
        log.warning("heartbeat: cannot write %s (%s)", path, error.strerror or error)
        return False
    return True


def schedule_heartbeat(application: Any) -> None:
    """Beat at once and every INTERVAL (called from the application's post_init)."""
    services: Services = application.bot_data[SERVICES_KEY]
    path = heartbeat_file(services.settings.database_url)

    async def job(_context: Any) -> None:
        beat(path, application.updater)

    repeat(application, job, name=JOB_NAME, interval=INTERVAL, first=FIRST_BEAT)
