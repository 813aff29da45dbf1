"""Users: the minimum we keep about a person who talks to the bot.

Only the Telegram user id (needed to reply), when they first came, and whether we may still
message them. No names, usernames or phone numbers: a privacy bot stores the minimum.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, String, true
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, UtcDateTime


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # False once Telegram says the user blocked the bot; /start sets it back.
    reachable: Mapped[bool] = mapped_column(Boolean, server_default=true())
    # IANA zone name for streaks and daily tips; None means the operator's default.
    timezone: Mapped[str | None] = mapped_column(String(64))
