"""Discreet mode and the progress card: preferences, messages to delete, the weekly ledger.

Revision ID: 006
Revises: 005
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UtcDateTime

revision: str = "006"
down_revision: str | None = "005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _user_id() -> sa.Column[int]:
    return sa.Column("user_id", sa.BigInteger(), nullable=False)


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "user_preferences",
        _user_id(),
        sa.Column("discreet", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("delete_after_hours", sa.SmallInteger(), nullable=True),
        sa.Column("weekly_card", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        _user_fk("user_preferences"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_user_preferences")),
    )
    with op.batch_alter_table("user_preferences", schema=None) as batch_op:
        batch_op.create_index(
            "ix_user_preferences_discreet",
            ["user_id"],
            unique=False,
            postgresql_where=sa.text("discreet"),
            sqlite_where=sa.text("discreet = 1"),
        )
        batch_op.create_index(
            "ix_user_preferences_weekly_card",
            ["user_id"],
            unique=False,
            postgresql_where=sa.text("weekly_card"),
            sqlite_where=sa.text("weekly_card = 1"),
        )
    op.create_table(
        "messages_to_delete",
        _user_id(),
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("message_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("delete_at", UtcDateTime(), nullable=False),
        _user_fk("messages_to_delete"),
        sa.PrimaryKeyConstraint("chat_id", "message_id", name=op.f("pk_messages_to_delete")),
    )
    with op.batch_alter_table("messages_to_delete", schema=None) as batch_op:
        batch_op.create_index("ix_messages_to_delete_delete_at", ["delete_at"], unique=False)
        batch_op.create_index("ix_messages_to_delete_user_id", ["user_id"], unique=False)
    op.create_table(
        "weekly_cards",
        _user_id(),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimed_at", UtcDateTime(), nullable=False),
        _user_fk("weekly_cards"),
        sa.PrimaryKeyConstraint("user_id", "week_start", name=op.f("pk_weekly_cards")),
    )


def downgrade() -> None:
    op.drop_table("weekly_cards")
    with op.batch_alter_table("messages_to_delete", schema=None) as batch_op:
        batch_op.drop_index("ix_messages_to_delete_user_id")
        batch_op.drop_index("ix_messages_to_delete_delete_at")
    op.drop_table("messages_to_delete")
    with op.batch_alter_table("user_preferences", schema=None) as batch_op:
        batch_op.drop_index("ix_user_preferences_weekly_card")
        batch_op.drop_index("ix_user_preferences_discreet")
    op.drop_table("user_preferences")
