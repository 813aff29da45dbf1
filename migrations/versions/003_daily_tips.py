"""Daily tips: tips seen, subscriptions, the delivery ledger, prompts awaiting typed input.

Revision ID: 003
Revises: 002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UtcDateTime

revision: str = "003"
down_revision: str | None = "002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "tips_seen",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("tip_id", sa.String(length=32), nullable=False),
        sa.Column("times_seen", sa.Integer(), nullable=False),
        sa.Column("last_seen_at", UtcDateTime(), nullable=False),
        _user_fk("tips_seen"),
        sa.PrimaryKeyConstraint("user_id", "tip_id", name=op.f("pk_tips_seen")),
    )
    op.create_table(
        "tip_subscriptions",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("send_time", sa.Time(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("next_due_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        _user_fk("tip_subscriptions"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_tip_subscriptions")),
    )
    with op.batch_alter_table("tip_subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tip_subscriptions_due",
            ["next_due_at"],
            unique=False,
            postgresql_where=sa.text("active"),
            sqlite_where=sa.text("active = 1"),
        )

    op.create_table(
        "tip_deliveries",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("tip_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimed_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        _user_fk("tip_deliveries"),
        sa.PrimaryKeyConstraint("user_id", "local_date", name=op.f("pk_tip_deliveries")),
    )
    with op.batch_alter_table("tip_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tip_deliveries_claimed",
            ["claimed_at"],
            unique=False,
            postgresql_where=sa.text("status = 'claimed'"),
            sqlite_where=sa.text("status = 'claimed'"),
        )
        batch_op.create_index("ix_tip_deliveries_local_date", ["local_date"], unique=False)

    op.create_table(
        "tip_prompts",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("awaiting", sa.String(length=8), nullable=False),
        sa.Column("flow", sa.String(length=16), nullable=False),
        sa.Column("asked_at", UtcDateTime(), nullable=False),
        _user_fk("tip_prompts"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_tip_prompts")),
    )


def downgrade() -> None:
    op.drop_table("tip_prompts")
    with op.batch_alter_table("tip_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_tip_deliveries_local_date")
        batch_op.drop_index("ix_tip_deliveries_claimed")

    op.drop_table("tip_deliveries")
    with op.batch_alter_table("tip_subscriptions", schema=None) as batch_op:
        batch_op.drop_index("ix_tip_subscriptions_due")

    op.drop_table("tip_subscriptions")
    op.drop_table("tips_seen")
