"""What an operator (ADMIN_USER_IDS) may see and do: totals only, never anything about one
person, and reloading the content bank."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from sqlalchemy import Connection

from bot.contentbank.loader import ContentErrors, load_content
from bot.core.content import ContentBank
from bot.core.item_analysis import DEFAULT_MIN_ANSWERS, analyse
from bot.storage.repositories import answers, deliveries, subscriptions, usage, users

HARDEST_SHOWN = 5
ACTIVE_WINDOW_DAYS = 7  # also how long finished quizzes are kept, so the counts agree
ERRORS_SHOWN = 5


@dataclass(frozen=True, slots=True)
class HardQuestion:
    question_id: str
    answers: int
    share_correct: float


@dataclass(frozen=True, slots=True)
class OperatorStats:
    users: int
    active_today: int
    active_week: int  # the last ACTIVE_WINDOW_DAYS local days, today included
    subscribers: int
    quizzes_completed_week: int
    deliveries_by_status: dict[str, int]  # the ledger's last 14 days
    hardest: tuple[HardQuestion, ...]  # lowest share correct first
    min_answers: int
    topics: int
    questions: int
    tips: int


def operator_stats(
    connection: Connection, bank: ContentBank, *, now: datetime, zone: tzinfo
) -> OperatorStats:
    """Counts for /stats and `python -m bot stats`: how the instance is used, in aggregate.

    "Today" is the operator's default zone's date; each user's active days are their own local
    dates, so near midnight the two can differ by a day.
    """
    today = now.astimezone(zone).date()
    week_start = today - timedelta(days=ACTIVE_WINDOW_DAYS - 1)
    return OperatorStats(
        users=users.count(connection),
        active_today=usage.active_since(connection, today),
        active_week=usage.active_since(connection, week_start),
        subscribers=subscriptions.count_active(connection),
        quizzes_completed_week=usage.quizzes_completed_since(
            connection, now - timedelta(days=ACTIVE_WINDOW_DAYS)
        ),
        deliveries_by_status=dict(deliveries.status_counts(connection)),
        hardest=hardest_questions(connection, bank),
        min_answers=DEFAULT_MIN_ANSWERS,
        topics=len(bank.topics),
        questions=len(bank.questions),
        tips=len(bank.tips),
    )


def hardest_questions(connection: Connection, bank: ContentBank) -> tuple[HardQuestion, ...]:
    """The bank's questions with the lowest share correct among those with enough answers in
    the log (fewer answers say more about who happened to answer than about the question)."""
    report = analyse(bank.questions, answers.counts(connection), DEFAULT_MIN_ANSWERS)
    ranked = sorted(report.items, key=lambda item: (item.share_correct, item.question_id))
    return tuple(
        HardQuestion(item.question_id, item.answers, item.share_correct)
        for item in ranked[:HARDEST_SHOWN]
    )


def report_lines(found: OperatorStats) -> list[tuple[str, str]]:
    """(label, value) rows, the same for /stats and the command line."""
    ledger = ", ".join(f"{k} {v}" for k, v in sorted(found.deliveries_by_status.items()))
    rows = [
        ("Users", str(found.users)),
        ("Active today", str(found.active_today)),
        (f"Active, last {ACTIVE_WINDOW_DAYS} days", str(found.active_week)),
        ("Daily-tip subscribers", str(found.subscribers)),
        (f"Quizzes completed, last {ACTIVE_WINDOW_DAYS} days", str(found.quizzes_completed_week)),
        ("Daily tips, last 14 days", ledger or "none yet"),
        (
            "Content",
            f"{found.topics} topics, {found.questions} questions, {found.tips} tips",
        ),
    ]
    if not found.hardest:
        rows.append(("Hardest questions", f"none with {found.min_answers}+ answers yet"))
    for question in found.hardest:
        share = round(question.share_correct * 100)
        rows.append(
            (f"Hard: {question.question_id}", f"{share}% right of {question.answers} answers")
        )
    return rows


@dataclass(frozen=True, slots=True)
class Reloaded:
    bank: ContentBank


@dataclass(frozen=True, slots=True)
class ReloadFailed:
    error_count: int
    first_errors: tuple[str, ...]  # at most ERRORS_SHOWN


def reload_bank(directory: Path) -> Reloaded | ReloadFailed:
    """Read and validate the bank again; a broken one is reported, never half-loaded.

    The same check as start-up (`load_content`), so a bank /reload accepts is one the bot would
    also start with.
    """
    try:
        return Reloaded(load_content(directory))
    except ContentErrors as exc:
        return ReloadFailed(len(exc.errors), tuple(str(e) for e in exc.errors[:ERRORS_SHOWN]))
