"""The /privacy notice against the schema and the code's retention periods, and the replies of
/mydata, /stats and /reload: within Telegram's limits, valid Telegram HTML."""

from __future__ import annotations

from datetime import timedelta

from bot.core import privacy_notice as privacy
from bot.core.delivery import LEDGER_RETENTION
from bot.flows.operators import HardQuestion, OperatorStats, ReloadFailed
from bot.flows.quiz import FINISHED_QUIZ_RETENTION
from bot.flows.updates import KEEP_PROCESSED_FOR
from bot.storage.repositories.export import USER_TABLES
from bot.telegram.views import operators
from tests.fakes.telegram_html import parse_html, utf16_len

MAX_TEXT = 4096


def fits_one_message(html: str) -> str:
    text = parse_html(html).text  # raises on anything Telegram would refuse
    assert utf16_len(text) <= MAX_TEXT
    return text


def test_the_notice_describes_every_table_about_users() -> None:
    assert set(privacy.STORED) == {table.name for table in USER_TABLES}


def test_the_notice_states_the_periods_the_code_keeps_data_for() -> None:
    text = fits_one_message(privacy.privacy_notice(retention_days=90))
    assert timedelta(days=7) == FINISHED_QUIZ_RETENTION
    assert "7 days after a quiz ends" in text
    assert timedelta(days=14) == LEDGER_RETENTION
    assert "about 14 days" in text
    assert timedelta(days=1) == KEEP_PROCESSED_FOR
    assert "for one day" in text
    assert "90 days, then only counted into per-topic totals" in text  # ANSWER_RETENTION_DAYS
    for told in ("Never", "/mydata", "/forget", "totals only"):
        assert told in text


def test_the_notice_fits_with_the_longest_retention_setting() -> None:
    fits_one_message(privacy.privacy_notice(retention_days=36500))


def test_export_summary_counts_rows_per_table() -> None:
    text = fits_one_message(privacy.export_summary({"users": 1, "answers": 3}))
    assert "users: 1 row\n" in text
    assert "answers: 3 rows" in text


def test_stats_and_reload_replies_are_valid_html_within_limits() -> None:
    found = OperatorStats(
        users=10,
        active_today=2,
        active_week=5,
        subscribers=3,
        quizzes_completed_week=7,
        deliveries_by_status={"sent": 4, "blocked": 1},
        hardest=tuple(HardQuestion("q" * 32, 1000, 0.123) for _ in range(5)),
        min_answers=20,
        topics=16,
        questions=200,
        tips=50,
    )
    text = fits_one_message(operators.stats_text(found))
    assert "Active today: 2" in text
    assert "Hard: " + "q" * 32 + ": 12% right of 1000" in text
    failed = ReloadFailed(999, tuple("<broken & long> " * 200 for _ in range(5)))
    text = fits_one_message(operators.reload_failed_text(failed))
    assert "999 problems" in text
    assert "<broken & long>" in text
