"""Tips and daily delivery: what each user has seen, who subscribed, and the delivery ledger.

The schedule lives here, not in memory: a restart rebuilds nothing and forgets nothing. The
user's time zone is `users.timezone` (one source of truth); a subscription stores its wall-clock
time and the next UTC instant it is due, so "who is due now" is one range scan on an index.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Time,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, UtcDateTime


def _user_fk() -> ForeignKey:
    """Deleting a user deletes everything about them (the "forget me" guarantee)."""
    return ForeignKey("users.id", ondelete="CASCADE")


class TipSeen(Base):
    """One tip one user has seen (by /tip, "Another tip" or daily delivery), and how often."""

    __tablename__ = "tips_seen"

    user_id: Mapped[int] = mapped_column(BigInteger, _user_fk(), primary_key=True)
    tip_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    times_seen: Mapped[int] = mapped_column(Integer, default=1)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime())


class TipSubscription(Base):
    """A daily-tip subscription; `active` is False after /unsubscribe or a pause."""

    __tablename__ = "tip_subscriptions"

    user_id: Mapped[int] = mapped_column(BigInteger, _user_fk(), primary_key=True)
    send_time: Mapped[time] = mapped_column(Time())
    active: Mapped[bool] = mapped_column(Boolean)
    # The next instant a pass should look at this user; kept current on every change.
    next_due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    __table_args__ = (
        # Only active rows are ever due: a small partial index the due query range-scans.
        Index(
            "ix_tip_subscriptions_due",
            "next_due_at",
            postgresql_where=text("active"),
            sqlite_where=text("active = 1"),
        ),
    )


class TipDelivery(Base):
    """The delivery ledger: one row per user per local date, claimed before the send.

    The primary key (user_id, local_date) is the unique key that makes "at most one tip a day"
    a guarantee: a second claim for the same day fails, whatever process or restart tries it.
    """

    __tablename__ = "tip_deliveries"

    user_id: Mapped[int] = mapped_column(BigInteger, _user_fk(), primary_key=True)
    local_date: Mapped[date] = mapped_column(Date, primary_key=True)
    tip_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    message_id: Mapped[int | None] = mapped_column(BigInteger)

    __table_args__ = (
        # Recovery looks only at claimed rows; pruning only at old dates.
        Index(
            "ix_tip_deliveries_claimed",
            "claimed_at",
            postgresql_where=text("status = 'claimed'"),
            sqlite_where=text("status = 'claimed'"),
        ),
        Index("ix_tip_deliveries_local_date", "local_date"),
    )


class TipPrompt(Base):
    """A question the bot asked and is waiting for typed input on ("time" or "zone").

    Kept in the database so a restart between the question and the answer loses nothing.
    `flow` says where the answer leads: "subscribe" asks for the zone after the time.
    """

    __tablename__ = "tip_prompts"

    user_id: Mapped[int] = mapped_column(BigInteger, _user_fk(), primary_key=True)
    awaiting: Mapped[str] = mapped_column(String(8))
    flow: Mapped[str] = mapped_column(String(16))
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime())
