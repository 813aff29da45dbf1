"""The answer log against a real database: one row per graded answer, item analysis over it,
/forget erasing it, and the retention fold keeping every count while deleting raw rows."""

from __future__ import annotations

import asyncio
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Table, func, select

from bot.config import load_settings
from bot.core.content import ContentBank
from bot.core.progress import ProgressSummary
from bot.core.quiz_results import AlreadyGraded, Graded, QuestionToSend, Retracted, Skipped
from bot.flows import quiz as quiz_flow
from bot.flows.item_stats import item_stats
from bot.flows.privacy import forget_user
from bot.flows.progress import progress_of
from bot.flows.retention import fold_old_answers
from bot.storage.database import Database
from bot.storage.repositories import answers as answer_log
from bot.storage.tables import ANSWERS as answers
from bot.storage.tables import TOPIC_ANSWER_TOTALS as topic_answer_totals
from tests.simulated_answers import planted, simulate, write

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
UTC_ZONE = ZoneInfo("UTC")
USER = 5


def rows(db: Database) -> list[tuple[int, str, str, int, bool, datetime]]:
    statement = select(
        answers.c.user_id,
        answers.c.question_id,
        answers.c.topic,
        answers.c.chosen,
        answers.c.correct,
        answers.c.answered_at,
    ).order_by(answers.c.id)
    return [tuple(row) for row in db.run_sync(lambda c: c.execute(statement).all())]


def count(db: Database, table: Table) -> int:
    return int(db.run_sync(lambda c: c.scalar(select(func.count()).select_from(table))) or 0)


def start(db: Database, bank: ContentBank, now: datetime, user: int = USER) -> QuestionToSend:
    started = db.run_sync(
        lambda c: quiz_flow.start_quiz(
            c, bank, user_id=user, topic="cctv", now=now, rng=random.Random(3)
        )
    )
    assert isinstance(started, QuestionToSend)
    return started


def send(db: Database, question: QuestionToSend, poll_id: str, user: int = USER) -> None:
    db.run_sync(
        lambda c: quiz_flow.record_poll(c, poll_id=poll_id, user_id=user, question=question)
    )


def vote(db: Database, bank: ContentBank, poll_id: str, options: list[int], now: datetime = NOW):
    return db.run_sync(
        lambda c: quiz_flow.answer(
            c,
            bank,
            poll_id=poll_id,
            user_id=USER,
            option_ids=options,
            now=now,
            default_zone=UTC_ZONE,
        )
    )


def play_quiz(db: Database, bank: ContentBank, now: datetime, tag: str) -> None:
    """A whole five-question quiz, alternately right and wrong."""
    current: object = start(db, bank, now)
    n = 0
    while isinstance(current, QuestionToSend):
        question = current.question
        send(db, current, f"{tag}{n}")
        choice = question.correct if n % 2 == 0 else (question.correct + 1) % len(question.options)
        outcome = vote(db, bank, f"{tag}{n}", [choice], now)
        assert isinstance(outcome, Graded)
        current = outcome.next
        n += 1


def test_grading_appends_one_row_and_a_replay_appends_nothing(
    database: Database, content_bank
) -> None:
    first = start(database, content_bank, NOW)
    send(database, first, "p1")
    wrong = (first.question.correct + 1) % len(first.question.options)
    assert isinstance(vote(database, content_bank, "p1", [wrong]), Graded)
    assert isinstance(vote(database, content_bank, "p1", [wrong]), AlreadyGraded)
    assert isinstance(vote(database, content_bank, "p1", [first.question.correct]), AlreadyGraded)
    q = first.question
    assert rows(database) == [(USER, q.id, q.topic, wrong, False, NOW)]


def test_retracted_and_skipped_answers_are_not_logged(database: Database, content_bank) -> None:
    first = start(database, content_bank, NOW)
    send(database, first, "p0")
    assert isinstance(vote(database, content_bank, "p0", []), Retracted)
    smaller = replace(
        content_bank, questions=tuple(q for q in content_bank.questions if q != first.question)
    )
    assert isinstance(vote(database, smaller, "p0", [0]), Skipped)
    assert rows(database) == []


def test_forget_erases_the_log_and_the_totals(database: Database, content_bank) -> None:
    play_quiz(database, content_bank, NOW - timedelta(days=400), "old")
    play_quiz(database, content_bank, NOW, "new")
    folded = database.run_sync(lambda c: fold_old_answers(c, now=NOW, retention_days=365))
    assert folded == 5
    assert (count(database, answers), count(database, topic_answer_totals)) == (5, 1)
    assert database.run_sync(lambda c: forget_user(c, USER)) is True
    assert (count(database, answers), count(database, topic_answer_totals)) == (0, 0)


def test_fold_keeps_progress_and_totals_and_deletes_only_old_rows(
    database: Database, content_bank
) -> None:
    play_quiz(database, content_bank, NOW - timedelta(days=400), "old")
    play_quiz(database, content_bank, NOW - timedelta(days=364), "kept")
    play_quiz(database, content_bank, NOW, "new")

    def progress(c: Connection) -> ProgressSummary:
        return progress_of(c, content_bank, user_id=USER, now=NOW, default_zone=UTC_ZONE)

    progress_before = database.run_sync(progress)
    totals_before = database.run_sync(answer_log.topic_totals)
    assert totals_before == {"cctv": (15, 9)}

    folded = database.run_sync(lambda c: fold_old_answers(c, now=NOW, retention_days=365))

    assert folded == 5
    assert database.run_sync(progress) == progress_before
    assert database.run_sync(answer_log.topic_totals) == totals_before
    kept = rows(database)
    assert len(kept) == 10
    assert min(row[5] for row in kept) == NOW - timedelta(days=364)
    stored = database.run_sync(lambda c: c.execute(select(topic_answer_totals)).all())
    assert [tuple(row) for row in stored] == [(USER, "cctv", 5, 3)]
    # A second sweep finds nothing more to fold; a later one adds to the same totals row.
    assert database.run_sync(lambda c: fold_old_answers(c, now=NOW, retention_days=365)) == 0
    later = NOW + timedelta(days=2)
    assert database.run_sync(lambda c: fold_old_answers(c, now=later, retention_days=365)) == 5
    stored = database.run_sync(lambda c: c.execute(select(topic_answer_totals)).all())
    assert [tuple(row) for row in stored] == [(USER, "cctv", 10, 6)]
    assert database.run_sync(answer_log.topic_totals) == totals_before


def test_the_daily_job_folds_with_the_configured_retention(
    database: Database, content_bank
) -> None:
    from bot.telegram.maintenance_job import fold_with
    from bot.telegram.services import Services

    play_quiz(database, content_bank, NOW - timedelta(days=31), "old")
    play_quiz(database, content_bank, NOW - timedelta(days=29), "kept")
    settings = load_settings(answer_retention_days=30)
    services = Services(settings, content_bank, database, clock=lambda: NOW)
    assert asyncio.run(fold_with(services)) == 5
    assert count(database, answers) == 5


def test_item_stats_flag_exactly_the_planted_faults(database: Database, content_bank) -> None:
    four = [q for q in content_bank.questions if len(q.options) == 4][:8]
    items, expected = planted(four)
    write(database, simulate(items), NOW)
    bank = ContentBank(questions=tuple(four))

    report = database.run_sync(lambda c: item_stats(c, bank, min_answers=20))

    flagged = {
        item.question_id: ", ".join(item.flags) for item in report.items.items if item.flags
    }
    assert flagged == expected
    assert report.items.below_minimum == 0
    assert report.items.answers == 300 * 8
    assert sum(n for n, _ in report.topics.values()) == 300 * 8
    dead = next(item for item in report.items.items if item.question_id == four[7].id)
    assert dead.unused_options == ((four[7].correct + 2) % 4,)
