"""What every terminal screen needs: the content, the database, the clock, who is chatting."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from bot.config import Settings
from bot.core.content import ContentBank
from bot.storage.database import Database
from bot.terminal.console import Console

T = TypeVar("T")

# Telegram user ids are positive; 0 is never one, so terminal progress never mixes with a user's.
TERMINAL_USER_ID = 0


@dataclass
class Session:
    content: ContentBank
    database: Database
    settings: Settings
    console: Console
    clock: Callable[[], datetime]
    rng: random.Random
    user_id: int = TERMINAL_USER_ID
    # Where the progress card and the /mydata copy are written.
    output_dir: Path = Path(".")

    @property
    def zone(self) -> ZoneInfo:
        """The operator's default zone, which flows fall back to for a user without one."""
        return self.settings.timezone

    def run(self, work: Callable[[Connection], T]) -> T:
        """One transaction, as a Telegram handler's `database.run` is."""
        return self.database.run_sync(work)
