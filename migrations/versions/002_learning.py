"""Learning: quizzes, their polls, per-question memory (reviews), explainer reads, active days.

Revision ID: 002
Revises: 001
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UtcDateTime

revision: str = "002"
down_revision: str | None = "001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "active_days",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_active_days_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "day", name=op.f("pk_active_days")),
    )
    op.create_table(
        "explainer_reads",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("explainer_id", sa.String(length=32), nullable=False),
        sa.Column("read_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_explainer_reads_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "explainer_id", name=op.f("pk_explainer_reads")),
    )
    op.create_table(
        "question_memory",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("question_id", sa.String(length=32), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.Column("last_correct", sa.Boolean(), nullable=False),
        sa.Column("review_step", sa.Integer(), nullable=True),
        sa.Column("review_due_at", UtcDateTime(), nullable=True),
        sa.Column("last_answered_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_question_memory_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "question_id", name=op.f("pk_question_memory")),
    )
    with op.batch_alter_table("question_memory", schema=None) as batch_op:
        batch_op.create_index("ix_question_memory_due", ["user_id", "review_due_at"], unique=False)

    op.create_table(
        "quizzes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=True),
        sa.Column("question_ids", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("correct_count", sa.Integer(), nullable=False),
        sa.Column("missed_ids", sa.Text(), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_quizzes_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quizzes")),
    )
    with op.batch_alter_table("quizzes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quizzes_user_id"), ["user_id"], unique=False)

    op.create_table(
        "quiz_polls",
        sa.Column("poll_id", sa.String(length=64), nullable=False),
        sa.Column("quiz_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("question_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("answered_option", sa.Integer(), nullable=True),
        sa.Column("answered_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["quiz_id"],
            ["quizzes.id"],
            name=op.f("fk_quiz_polls_quiz_id_quizzes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_quiz_polls_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("poll_id", name=op.f("pk_quiz_polls")),
    )
    with op.batch_alter_table("quiz_polls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quiz_polls_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("quiz_polls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quiz_polls_user_id"))

    op.drop_table("quiz_polls")
    with op.batch_alter_table("quizzes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quizzes_user_id"))

    op.drop_table("quizzes")
    with op.batch_alter_table("question_memory", schema=None) as batch_op:
        batch_op.drop_index("ix_question_memory_due")

    op.drop_table("question_memory")
    op.drop_table("explainer_reads")
    op.drop_table("active_days")
