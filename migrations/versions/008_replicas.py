"""Several replicas on one PostgreSQL: send_budget (one bulk budget), update_inbox (order).

Revision ID: 008
Revises: 007
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UtcDateTime

revision: str = "008"
down_revision: str | None = "007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "send_budget",
        sa.Column("budget", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("next_slot_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("budget", name=op.f("pk_send_budget")),
    )
    op.create_table(
        "update_inbox",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("lane", sa.BigInteger(), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_update_inbox")),
    )
    with op.batch_alter_table("update_inbox", schema=None) as batch_op:
        batch_op.create_index("ix_update_inbox_lane", ["lane", "update_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("update_inbox", schema=None) as batch_op:
        batch_op.drop_index("ix_update_inbox_lane")
    op.drop_table("update_inbox")
    op.drop_table("send_budget")
