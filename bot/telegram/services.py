"""What handlers need, in one typed object kept in `application.bot_data`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from telegram.ext import CallbackContext

from bot.config import Settings
from bot.core.content import ContentBank
from bot.storage.database import Database

SERVICES_KEY = "services"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    """The content bank, the database and settings; `clock` is replaceable in tests."""

    settings: Settings
    content: ContentBank
    database: Database
    clock: Callable[[], datetime] = field(default=utc_now)
    bot_username: str = ""


def get_services(context: CallbackContext[Any, Any, Any, Any]) -> Services:
    services = context.bot_data[SERVICES_KEY]
    assert isinstance(services, Services)
    return services
