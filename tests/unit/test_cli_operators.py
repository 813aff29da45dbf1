"""`python -m bot stats`: the rows /stats shows, on stdout; a bad database: one line, exit 1."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection

from bot.__main__ import main
from bot.storage import migrate
from bot.storage.database import Database
from bot.storage.repositories import users


@pytest.fixture
def database_url(tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'ops.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def test_stats_prints_the_totals(
    capsys: pytest.CaptureFixture[str], content_bank, database_url: str
) -> None:
    migrate.upgrade(database_url)
    database = Database(database_url)

    def three_users(connection: Connection) -> None:
        for user_id in (1, 2, 3):
            users.touch(connection, user_id, datetime.now(UTC))

    try:
        database.run_sync(three_users)
    finally:
        database.close()

    assert main(["stats"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "This instance"
    rows = {line.split(":")[0].strip(): line.split(":", 1)[1].strip() for line in lines[1:]}
    assert rows["Users"] == "3"
    assert rows["Active today"] == "0"
    assert rows["Content"] == (
        f"{len(content_bank.topics)} topics, {len(content_bank.questions)} questions, "
        f"{len(content_bank.tips)} tips"
    )
    assert rows["Hardest questions"] == "none with 20+ answers yet"


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("nonsense", "not a database URL"),
        ("postgresql+psycopg://bot:secret@127.0.0.1:1/bot", "postgresql+psycopg://bot:***@"),
    ],
)
def test_a_bad_database_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, url: str, said: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["stats"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("DATABASE_URL: ")
    assert said in err[0]
    assert "secret" not in err[0]
