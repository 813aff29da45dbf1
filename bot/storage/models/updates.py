"""Updates already accepted from Telegram, so a redelivered update is handled once.

Telegram redelivers an update whenever it did not see a 2xx in time, and several replicas
behind one load balancer may each receive a copy: the primary key on `update_id` makes "handle
it once" a guarantee of the shared database, not of one process's memory. Only the id and the
time it arrived are kept: nothing about the person who sent it.

A plain Core table rather than an ORM class: nothing here needs the ORM's unit of work.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Table

from bot.storage.models.base import Base, UtcDateTime

PROCESSED_UPDATES = Table(
    "processed_updates",
    Base.metadata,
    Column("update_id", BigInteger, primary_key=True, autoincrement=False),
    Column("received_at", UtcDateTime(), nullable=False),
    # Pruning deletes by age: a range scan instead of reading the whole table.
    Index("ix_processed_updates_received_at", "received_at"),
)
