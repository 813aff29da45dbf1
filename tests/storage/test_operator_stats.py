"""/stats and `python -m bot stats`: activity, completed quizzes and the hardest questions, in
aggregate, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from bot.flows.operators import operator_stats, report_lines
from bot.storage.database import Database
from bot.storage.repositories import reading, users
from bot.storage.tables import QUIZZES
from tests.simulated_answers import SimulatedItem, simulate, write

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Berlin")


def quiz(user_id: int, ids: str, position: int, finished_at: datetime | None) -> dict[str, object]:
    return {
        "user_id": user_id,
        "kind": "quiz",
        "topic": None,
        "question_ids": ids,
        "position": position,
        "correct_count": 0,
        "missed_ids": "",
        "started_at": NOW - timedelta(days=9),
        "finished_at": finished_at,
    }


def test_activity_and_completed_quizzes(database: Database, content_bank) -> None:
    today = NOW.astimezone(ZONE).date()

    def store(c):
        for user_id, days_ago in ((1, 0), (2, 3), (3, 6), (4, 7), (5, 30)):
            users.touch(c, user_id, NOW)
            reading.mark_active(c, user_id, today - timedelta(days=days_ago))
        reading.mark_active(c, 1, today - timedelta(days=1))  # counted once, not twice
        c.execute(
            insert(QUIZZES),
            [
                quiz(1, "a b c d e", 5, NOW - timedelta(days=1)),  # completed
                quiz(2, "a", 1, NOW - timedelta(hours=1)),  # a one-question review, completed
                quiz(3, "a b c d e", 2, NOW - timedelta(hours=2)),  # left for another quiz
                quiz(4, "a b c d e", 5, NOW - timedelta(days=8)),  # completed, too long ago
                quiz(5, "a b c d e", 1, None),  # in progress
            ],
        )

    database.run_sync(store)
    found = database.run_sync(lambda c: operator_stats(c, content_bank, now=NOW, zone=ZONE))
    assert (found.users, found.active_today, found.active_week) == (5, 1, 3)
    assert found.quizzes_completed_week == 2
    assert found.hardest == ()
    rows = dict(report_lines(found))
    assert rows["Hardest questions"] == "none with 20+ answers yet"
    assert rows["Active, last 7 days"] == "3"


def test_hardest_questions_have_the_lowest_share_right_and_enough_answers(
    database: Database, content_bank
) -> None:
    easy, middle, hard, rare = content_bank.questions[:4]
    items = [
        SimulatedItem(easy, difficulty=-3.0),
        SimulatedItem(hard, difficulty=3.0),
        SimulatedItem(middle, difficulty=0.0),
    ]
    log = simulate(items, learners=40)
    # The rarest question is the hardest of all, but 19 answers say little about it.
    log += [e for e in simulate([SimulatedItem(rare, difficulty=9.0)], learners=19)]
    write(database, log, NOW)

    found = database.run_sync(lambda c: operator_stats(c, content_bank, now=NOW, zone=ZONE))

    assert [q.question_id for q in found.hardest] == [hard.id, middle.id, easy.id]
    assert [q.answers for q in found.hardest] == [40, 40, 40]
    shares = [q.share_correct for q in found.hardest]
    assert shares == sorted(shares)
    assert shares[0] < 0.5 < shares[-1]
    labels = [label for label, _ in report_lines(found)]
    assert f"Hard: {hard.id}" in labels
    assert f"Hard: {rare.id}" not in labels
