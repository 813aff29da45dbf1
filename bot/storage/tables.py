"""Every table, as a plain SQLAlchemy Core `Table` on one `METADATA`.

Every query in the bot is Core, so the tables are described once, the Core way, and queried as
`TABLE.c.column`. The migrations in `migrations/versions/` create exactly this schema;
`tests/storage/test_migrations.py` checks that the two agree on SQLite and PostgreSQL.

`nullable=False` is spelled out: a Core column is nullable unless it says otherwise. A Python
`default=` fills a column that an INSERT leaves out; it is not part of the schema.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    Time,
    false,
    text,
    true,
)

from bot.storage.types import UtcDateTime

# Alembic then names constraints the same way on SQLite and PostgreSQL (batch migrations on
# SQLite need named constraints).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
METADATA = MetaData(naming_convention=NAMING_CONVENTION)


def _user_id(*, primary_key: bool = False, index: bool = False) -> Column[int]:
    """Deleting a user deletes everything about them (the "forget me" guarantee)."""
    return Column(
        "user_id",
        BigInteger,
        ForeignKey("users.id", ondelete="CASCADE"),
        primary_key=primary_key,
        index=index,
        nullable=False,
    )


# ------------------------------------------------------------------------------------ users

# The minimum we keep about a person: the Telegram id (needed to reply), when they first came,
# and whether we may still message them. No names, usernames or phone numbers.
USERS = Table(
    "users",
    METADATA,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("created_at", UtcDateTime(), nullable=False),
    # False once Telegram says the user blocked the bot; /start sets it back.
    Column("reachable", Boolean, nullable=False, server_default=true()),
    # IANA zone name for streaks and daily tips; None means the operator's default.
    Column("timezone", String(64)),
)

# --------------------------------------------------------------------------------- learning
# Quizzes in progress, the polls that carry them, per-question memory, reads and active days.
# All of it lives here, not in memory, so a restart mid-quiz loses nothing.

# One quiz or review session: an ordered list of questions and how far the user got.
QUIZZES = Table(
    "quizzes",
    METADATA,
    Column("id", Integer, primary_key=True),
    _user_id(index=True),
    Column("kind", String(16), nullable=False),  # "quiz", "review" or "retry"
    Column("topic", String(32)),
    Column("question_ids", Text, nullable=False),  # space-separated, in serving order
    Column("position", Integer, nullable=False, default=0),  # index of the question now out
    Column("correct_count", Integer, nullable=False, default=0),
    Column("missed_ids", Text, nullable=False, default=""),  # space-separated
    Column("started_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime()),
)

# Telegram poll id -> the quiz question it carries (poll answers have no chat or message).
QUIZ_POLLS = Table(
    "quiz_polls",
    METADATA,
    Column("poll_id", String(64), primary_key=True),
    Column("quiz_id", Integer, ForeignKey("quizzes.id", ondelete="CASCADE"), nullable=False),
    _user_id(index=True),
    Column("question_id", String(32), nullable=False),
    Column("position", Integer, nullable=False),
    Column("answered_option", Integer),
    Column("answered_at", UtcDateTime()),
)

# What one user knows about one question, and when it is due for review.
QUESTION_MEMORY = Table(
    "question_memory",
    METADATA,
    _user_id(primary_key=True),
    Column("question_id", String(32), primary_key=True),
    Column("topic", String(32), nullable=False),
    Column("answered", Integer, nullable=False, default=0),
    Column("correct", Integer, nullable=False, default=0),
    Column("last_correct", Boolean, nullable=False, default=False),
    # Spaced repetition: the step in the 1/3/7-day ladder, and when the review falls due.
    Column("review_step", Integer),
    Column("review_due_at", UtcDateTime()),
    Column("last_answered_at", UtcDateTime(), nullable=False),
    Index("ix_question_memory_due", "user_id", "review_due_at"),
)

# An explainer the user read to its last page (counted once).
EXPLAINER_READS = Table(
    "explainer_reads",
    METADATA,
    _user_id(primary_key=True),
    Column("explainer_id", String(32), primary_key=True),
    Column("read_at", UtcDateTime(), nullable=False),
)

# A local calendar day on which the user finished a quiz or review (for streaks).
ACTIVE_DAYS = Table(
    "active_days",
    METADATA,
    _user_id(primary_key=True),
    Column("day", Date, primary_key=True),
)

# ------------------------------------------------------------------------------------- tips
# What each user has seen, who subscribed, and the delivery ledger. The schedule lives here,
# not in memory: a restart rebuilds nothing and forgets nothing. The user's zone is
# `users.timezone` (one source of truth); a subscription stores its wall-clock time and the
# next UTC instant it is due, so "who is due now" is one range scan on an index.

# One tip one user has seen (by /tip, "Another tip" or daily delivery), and how often.
TIPS_SEEN = Table(
    "tips_seen",
    METADATA,
    _user_id(primary_key=True),
    Column("tip_id", String(32), primary_key=True),
    Column("times_seen", Integer, nullable=False, default=1),
    Column("last_seen_at", UtcDateTime(), nullable=False),
)

# A daily-tip subscription; `active` is False after /unsubscribe or a pause.
TIP_SUBSCRIPTIONS = Table(
    "tip_subscriptions",
    METADATA,
    _user_id(primary_key=True),
    Column("send_time", Time(), nullable=False),
    Column("active", Boolean, nullable=False),
    # The next instant a pass should look at this user; kept current on every change.
    Column("next_due_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    # Only active rows are ever due: a small partial index the due query range-scans.
    Index(
        "ix_tip_subscriptions_due",
        "next_due_at",
        postgresql_where=text("active"),
        sqlite_where=text("active = 1"),
    ),
)

# The delivery ledger: one row per user per local date, claimed before the send. The primary
# key (user_id, local_date) makes "at most one tip a day" a guarantee: a second claim for the
# same day fails, whatever process or restart tries it.
TIP_DELIVERIES = Table(
    "tip_deliveries",
    METADATA,
    _user_id(primary_key=True),
    Column("local_date", Date, primary_key=True),
    Column("tip_id", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("claimed_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime()),
    Column("attempts", Integer, nullable=False, default=0),
    Column("message_id", BigInteger),
    # Recovery looks only at claimed rows; pruning only at old dates.
    Index(
        "ix_tip_deliveries_claimed",
        "claimed_at",
        postgresql_where=text("status = 'claimed'"),
        sqlite_where=text("status = 'claimed'"),
    ),
    Index("ix_tip_deliveries_local_date", "local_date"),
)

# A question the bot asked and is waiting for typed input on ("time" or "zone"), kept so a
# restart between the question and the answer loses nothing. `flow` says where the answer
# leads: "subscribe" asks for the zone after the time.
TIP_PROMPTS = Table(
    "tip_prompts",
    METADATA,
    _user_id(primary_key=True),
    Column("awaiting", String(8), nullable=False),
    Column("flow", String(16), nullable=False),
    Column("asked_at", UtcDateTime(), nullable=False),
)


# ---------------------------------------------------------------------------------- answers

# The answer log: finished quizzes and their polls go after 7 days, so item analysis needs its
# own record of what was answered. A row holds the minimum: who (for ranking learners, never
# shown), which question and option, whether it was right, and when (for the retention sweep).
# No question text, no poll id, no chat. A surrogate key: one user may answer one question many
# times (quizzes and reviews).
ANSWERS = Table(
    "answers",
    METADATA,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    _user_id(),
    Column("question_id", String(32), nullable=False),
    Column("topic", String(32), nullable=False),
    Column("chosen", SmallInteger, nullable=False),  # 0-based option index
    Column("correct", Boolean, nullable=False),
    Column("answered_at", UtcDateTime(), nullable=False),
    # Leads with user_id for the /forget cascade, and covers the stats query's GROUP BY, so
    # `content stats` reads the index alone.
    Index("ix_answers_user_item", "user_id", "question_id", "chosen", "correct"),
    # The retention sweep deletes a range of old rows.
    Index("ix_answers_answered_at", "answered_at"),
)

# What the retention sweep folds old answers into: per user and topic, so progress stays right.
TOPIC_ANSWER_TOTALS = Table(
    "topic_answer_totals",
    METADATA,
    _user_id(primary_key=True),
    Column("topic", String(32), primary_key=True),
    Column("answered", Integer, nullable=False),
    Column("correct", Integer, nullable=False),
)


# ---------------------------------------------------------------------------------- updates

# Updates already accepted in webhook mode, so a redelivered update is handled once. Telegram
# redelivers whenever it did not see a 2xx in time, and several replicas behind one load
# balancer may each receive a copy: the primary key makes "handle it once" a guarantee of the
# shared database, not of one process's memory. Only the id and the time: nothing about the
# person who sent it.
PROCESSED_UPDATES = Table(
    "processed_updates",
    METADATA,
    Column("update_id", BigInteger, primary_key=True, autoincrement=False),
    Column("received_at", UtcDateTime(), nullable=False),
    # Pruning deletes by age: a range scan instead of reading the whole table.
    Index("ix_processed_updates_received_at", "received_at"),
)


# --------------------------------------------------------------------- discreet mode, card
# Choices a user made about how the bot reaches them; no row means the defaults (all off).
USER_PREFERENCES = Table(
    "user_preferences",
    METADATA,
    _user_id(primary_key=True),
    Column("discreet", Boolean, nullable=False, server_default=false()),
    # Hours after which a lesson deletes itself while discreet; None keeps lessons.
    Column("delete_after_hours", SmallInteger),
    Column("weekly_card", Boolean, nullable=False, server_default=false()),
    Column("updated_at", UtcDateTime(), nullable=False),
    # A delivery pass reads the few discreet users; the weekly job the few with a card.
    Index(
        "ix_user_preferences_discreet",
        "user_id",
        postgresql_where=text("discreet"),
        sqlite_where=text("discreet = 1"),
    ),
    Index(
        "ix_user_preferences_weekly_card",
        "user_id",
        postgresql_where=text("weekly_card"),
        sqlite_where=text("weekly_card = 1"),
    ),
)

# Lessons that delete themselves: kept here, not in a timer, so a restart still deletes them.
MESSAGES_TO_DELETE = Table(
    "messages_to_delete",
    METADATA,
    _user_id(index=True),
    Column("chat_id", BigInteger, primary_key=True, autoincrement=False),
    Column("message_id", BigInteger, primary_key=True, autoincrement=False),
    Column("delete_at", UtcDateTime(), nullable=False),
    # The deletion job reads what is due: a range scan.
    Index("ix_messages_to_delete_delete_at", "delete_at"),
)

# The weekly card's ledger: one row per user per week (its Monday), claimed before the send,
# so "once a week" holds whatever process or restart tries again.
WEEKLY_CARDS = Table(
    "weekly_cards",
    METADATA,
    _user_id(primary_key=True),
    Column("week_start", Date, primary_key=True),
    Column("status", String(16), nullable=False),
    Column("claimed_at", UtcDateTime(), nullable=False),
)


# ---------------------------------------------------------------------------------- check-up
# The 7-day check-up and the actions a user ticks off. State lives here so the course resumes
# after any pause or restart, and a reminder is sent once whatever crashes.

# One row per user who chose a platform: where they are in the course. `last_day_on` is the
# local date the current day was reached, so the daily delivery moves on at most once a day.
CHECKUPS = Table(
    "checkups",
    METADATA,
    _user_id(primary_key=True),
    Column("platform", String(16), nullable=False),
    Column("day", SmallInteger, nullable=False),  # the day now open, 1-based
    Column("last_day_on", Date, nullable=False),
    Column("started_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime()),
)

# The check-up's delivery ledger, like `tip_deliveries`: the (user_id, local_date) key makes
# "at most one check-up day a day from the daily delivery" a guarantee of the database.
CHECKUP_DELIVERIES = Table(
    "checkup_deliveries",
    METADATA,
    _user_id(primary_key=True),
    Column("local_date", Date, primary_key=True),
    Column("day", SmallInteger, nullable=False),
    Column("status", String(16), nullable=False),
    Column("claimed_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime()),
)

# What a user said about one action (a tip or a check-up action): "done", "dismissed" or
# "snoozed". `action_id` is "tip:<id>" or "checkup:<id>".
USER_ACTIONS = Table(
    "user_actions",
    METADATA,
    _user_id(primary_key=True),
    Column("action_id", String(48), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# "Remind me in 3 days": one reminder per user and action, claimed like the ledger (pending ->
# claimed -> sent / in_doubt / failed) so it goes out once, even after a restart.
ACTION_REMINDERS = Table(
    "action_reminders",
    METADATA,
    _user_id(primary_key=True),
    Column("action_id", String(48), primary_key=True),
    Column("due_at", UtcDateTime(), nullable=False),
    Column("status", String(16), nullable=False),
    Column("claimed_at", UtcDateTime()),
    Column("finished_at", UtcDateTime()),
    # The pass range-scans pending reminders by due time.
    Index(
        "ix_action_reminders_due",
        "due_at",
        postgresql_where=text("status = 'pending'"),
        sqlite_where=text("status = 'pending'"),
    ),
)


# ---------------------------------------------------------------------------------- replicas

# Several replicas share one bot token, so one Telegram budget for bulk sends. The row is a
# reservation clock (GCRA): `next_slot_at` is the earliest instant the next bulk send may go;
# a replica moves it forward by n intervals in one atomic statement and owns those n slots.
# PostgreSQL only: on SQLite one process sends and its own limiter is enough.
SEND_BUDGET = Table(
    "send_budget",
    METADATA,
    Column("budget", SmallInteger, primary_key=True, autoincrement=False),  # 1: daily tips
    Column("next_slot_at", UtcDateTime(), nullable=False),
)

# Webhook updates accepted and not yet handled, so replicas handle each sender's updates one at
# a time in update_id order. `lane` is the sender's id; a row lives only while its update waits
# or is handled (it is deleted right after), so nothing about a person stays here.
UPDATE_INBOX = Table(
    "update_inbox",
    METADATA,
    Column("update_id", BigInteger, primary_key=True, autoincrement=False),
    Column("lane", BigInteger, nullable=False),
    Column("received_at", UtcDateTime(), nullable=False),
    Column("started_at", UtcDateTime(), nullable=True),
    # "Is an earlier update of this sender still pending?" is a range scan on this index.
    Index("ix_update_inbox_lane", "lane", "update_id"),
)
