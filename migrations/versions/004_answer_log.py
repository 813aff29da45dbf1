"""The answer log (one row per graded answer) and per-topic totals for folded old answers.

Revision ID: 004
Revises: 003
Create Date: 2026-12-10
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UtcDateTime

revision: str = "004"
down_revision: str | None = "003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "answers",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("question_id", sa.String(length=32), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("chosen", sa.SmallInteger(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("answered_at", UtcDateTime(), nullable=False),
        _user_fk("answers"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answers")),
    )
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_answers_user_item", ["user_id", "question_id", "chosen", "correct"], unique=False
        )
        batch_op.create_index("ix_answers_answered_at", ["answered_at"], unique=False)

    op.create_table(
        "topic_answer_totals",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        _user_fk("topic_answer_totals"),
        sa.PrimaryKeyConstraint("user_id", "topic", name=op.f("pk_topic_answer_totals")),
    )


def downgrade() -> None:
    op.drop_table("topic_answer_totals")
    with op.batch_alter_table("answers", schema=None) as batch_op:
        batch_op.drop_index("ix_answers_answered_at")
        batch_op.drop_index("ix_answers_user_item")

    op.drop_table("answers")
