"""`python -m bot content stats`: the table an operator reads, its flags, and its errors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.__main__ import main
from bot.cli_stats import stats_text
from bot.core import wording
from bot.core.item_analysis import Flag, ItemReport, ItemStats
from bot.flows.item_stats import StatsReport
from bot.storage import migrate
from bot.storage.database import Database
from tests.simulated_answers import planted, simulate, write


@pytest.fixture
def database_url(tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'stats.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def test_stats_table_flags_the_planted_faults_and_fits_100_columns(
    capsys: pytest.CaptureFixture[str], content_bank, database_url: str
) -> None:
    four = [q for q in content_bank.questions if len(q.options) == 4][:8]
    items, expected = planted(four)
    migrate.upgrade(database_url)
    database = Database(database_url)
    try:
        write(database, simulate(items), datetime.now(UTC))
    finally:
        database.close()

    assert main(["content", "stats"]) == 0

    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 100
    table = out.split("\nFlagged")[0].splitlines()
    rows = {line.split()[0]: line for line in table if line.split()}
    for question in four:
        assert rows[question.id].split()[1] == "300"  # every simulated learner answered once
    flagged = out.split("Flagged (3):\n")[1].split("\n\n")[0].splitlines()
    assert {line.split()[0]: line.split()[1].rstrip(":") for line in flagged} == {
        qid: flag.split()[0] for qid, flag in expected.items()
    }
    below = len(content_bank.questions) - 8
    assert f"8 questions with at least 20 answers, 3 flagged; {wording.questions(below)}" in out
    assert "Item analysis of 2400 answers" in out
    assert out.splitlines()[-1].split()[:2] == ["cctv", "2400"]  # all time, per topic


def test_min_answers_raises_the_bar(
    capsys: pytest.CaptureFixture[str], content_bank, database_url: str
) -> None:
    migrate.upgrade(database_url)
    assert main(["content", "stats", "--min-answers", "1"]) == 0
    out = capsys.readouterr().out
    assert "0 questions with at least 1 answers" in out
    assert "No answers logged yet." in out
    with pytest.raises(SystemExit) as raised:
        main(["content", "stats", "--min-answers", "0"])
    assert raised.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("nonsense", "not a database URL"),
        ("nosuchdb://host/x", "unknown database driver"),
        ("postgresql+psycopg://bot:secret@127.0.0.1:1/bot", "postgresql+psycopg://bot:***@"),
    ],
)
def test_a_bad_database_url_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str, said: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["content", "stats"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("DATABASE_URL: ")
    assert said in err[0]
    assert "secret" not in err[0]


def test_the_widest_row_fits_100_columns() -> None:
    widest = ItemStats(
        question_id="q" * 32,  # the longest id the schema allows
        topic="t" * 32,
        answers=1_234_567,
        share_correct=0.88,
        option_shares=(0.88, 0.04, 0.04, 0.04),
        correct_option=0,
        discrimination=-1.0,
        unused_options=(1, 2, 3),
        flags=(Flag.NEGATIVE, Flag.UNUSED_OPTION),  # the most an item can carry
    )
    report = StatsReport(ItemReport((widest,), 20, 0, 1_234_567), {"t" * 32: (1_234_567, 1)})
    text = stats_text(report, 36500)
    assert max(len(line) for line in text.splitlines()) <= 100
