"""GET /healthz: may a load balancer send this replica traffic? Yes when the database answers.

The probe goes through `Database.run`, so on PostgreSQL it runs on a worker thread and a slow
server never stalls the event loop; the timeout bounds how long the prober waits.
"""

from __future__ import annotations

import asyncio
import logging

from bot.flows import updates as update_flow
from bot.storage.database import Database

log = logging.getLogger(__name__)

HEALTH_TIMEOUT_SECONDS = 2.0


class HealthCheck:
    """Answers "is storage reachable" for the health endpoint."""

    def __init__(self, database: Database, timeout: float = HEALTH_TIMEOUT_SECONDS) -> None:
        self.database = database
        self.timeout = timeout

    async def healthy(self) -> bool:
        try:
            return await asyncio.wait_for(
                self.database.run(update_flow.database_answers), self.timeout
            )
        except Exception as error:  # any failure means "not healthy", never a crash
            # The type only: a driver's message can carry the host and user name.
            log.warning("health check: the database did not answer (%s)", type(error).__name__)
            return False
