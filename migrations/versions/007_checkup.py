"""The check-up course and actions: checkups, checkup_deliveries, user_actions, action_reminders.

Revision ID: 007
Revises: 006
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UtcDateTime

revision: str = "007"
down_revision: str | None = "006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "checkups",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("day", sa.SmallInteger(), nullable=False),
        sa.Column("last_day_on", sa.Date(), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        _user_fk("checkups"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_checkups")),
    )
    op.create_table(
        "checkup_deliveries",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("day", sa.SmallInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimed_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        _user_fk("checkup_deliveries"),
        sa.PrimaryKeyConstraint("user_id", "local_date", name=op.f("pk_checkup_deliveries")),
    )
    op.create_table(
        "user_actions",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("action_id", sa.String(length=48), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        _user_fk("user_actions"),
        sa.PrimaryKeyConstraint("user_id", "action_id", name=op.f("pk_user_actions")),
    )
    op.create_table(
        "action_reminders",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("action_id", sa.String(length=48), nullable=False),
        sa.Column("due_at", UtcDateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimed_at", UtcDateTime(), nullable=True),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        _user_fk("action_reminders"),
        sa.PrimaryKeyConstraint("user_id", "action_id", name=op.f("pk_action_reminders")),
    )
    with op.batch_alter_table("action_reminders", schema=None) as batch_op:
        batch_op.create_index(
            "ix_action_reminders_due",
            ["due_at"],
            unique=False,
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("action_reminders", schema=None) as batch_op:
        batch_op.drop_index("ix_action_reminders_due")
    op.drop_table("action_reminders")
    op.drop_table("user_actions")
    op.drop_table("checkup_deliveries")
    op.drop_table("checkups")
