"""Every operator-facing failure is one line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import argparse
import os
import socket
import sqlite3
import uuid
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.__main__ import main
from bot.cli_types import at_least_one, non_negative_seconds
from bot.storage.database import Database
from bot.storage.repositories import subscriptions, users
from tests.conftest import require_postgres

DATABASE_COMMANDS = [
    ["db", "upgrade"],
    ["chat"],
    ["run"],
    ["tips", "send-due"],
    ["stats"],
    ["content", "stats"],
]
TOKEN = "123456:TEST-token-for-operator-errors"
not_root = pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")


def one_line_failure(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Run the command; assert it failed with exactly one stderr line; return that line."""
    code = main(argv)
    err = capsys.readouterr().err
    assert code != 0
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends


@pytest.fixture(autouse=True)
def token(monkeypatch: pytest.MonkeyPatch) -> None:
    """`run` and `tips send-due` need a token before they open the database."""
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", f"http://127.0.0.1:{closed_port()}/bot")


@pytest.mark.parametrize("argv", DATABASE_COMMANDS)
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("garbage", "DATABASE_URL: not a database URL"),
        ("nosuchdriver://host/db", "DATABASE_URL: unknown database driver"),
        ("postgresql+nosuchdbapi://u@127.0.0.1/db", "DATABASE_URL: unknown database driver"),
    ],
)
def test_unusable_database_url(capsys, monkeypatch, argv, url, expected) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    assert one_line_failure(capsys, argv).startswith(expected)


@pytest.mark.parametrize("argv", DATABASE_COMMANDS)
def test_unreachable_postgres_server(capsys, monkeypatch, argv) -> None:
    url = f"postgresql+psycopg://postgres:s3cret@127.0.0.1:{closed_port()}/bot"
    monkeypatch.setenv("DATABASE_URL", url)
    line = one_line_failure(capsys, argv)
    assert line.startswith("DATABASE_URL: cannot use the database postgresql+psycopg://")
    assert "refused" in line.lower()
    assert "s3cret" not in line


@pytest.mark.parametrize("argv", DATABASE_COMMANDS)
def test_missing_postgres_database(capsys, monkeypatch, argv) -> None:
    name = f"bot_missing_{uuid.uuid4().hex[:10]}"
    server = make_url(require_postgres())
    monkeypatch.setenv("DATABASE_URL", server.set(database=name).render_as_string(False))
    line = one_line_failure(capsys, argv)
    assert line.startswith("DATABASE_URL:")
    assert f'database "{name}" does not exist' in line


@pytest.mark.parametrize("argv", DATABASE_COMMANDS)
def test_data_folder_that_cannot_be_created(capsys, monkeypatch, tmp_path, argv) -> None:
    (tmp_path / "data").write_text("a file where the folder should be")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'data' / 'bot.sqlite3'}")
    assert one_line_failure(capsys, argv).startswith("DATABASE_URL: cannot create the folder")


@pytest.mark.parametrize("argv", DATABASE_COMMANDS)
def test_database_file_that_cannot_be_opened(capsys, monkeypatch, tmp_path, argv) -> None:
    (tmp_path / "bot.sqlite3").mkdir()  # a folder where the file should be: even root fails
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    assert "unable to open database file" in one_line_failure(capsys, argv)


@pytest.mark.parametrize("argv", DATABASE_COMMANDS)
@pytest.mark.parametrize("migrated", [False, True])
def test_read_only_database_file(capsys, monkeypatch, tmp_path, argv, migrated) -> None:
    """Opened read-only (as a read-only file is): refused at start, not at a user's first tap.

    (`db upgrade` of a database already at head writes nothing, so it may succeed.)
    """
    if migrated and argv == ["db", "upgrade"]:
        pytest.skip("nothing to write")
    path = tmp_path / "bot.sqlite3"
    sqlite3.connect(path).close()
    if migrated:
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
        assert main(["db", "upgrade"]) == 0
        capsys.readouterr()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///file:{path}?mode=ro&uri=true")
    assert "attempt to write a readonly database" in one_line_failure(capsys, argv)


@not_root
@pytest.mark.parametrize("argv", DATABASE_COMMANDS)
def test_read_only_data_folder(capsys, monkeypatch, tmp_path, argv) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{folder / 'bot.sqlite3'}")
        assert one_line_failure(capsys, argv).startswith("DATABASE_URL:")
    finally:
        folder.chmod(0o755)


def test_unreachable_bot_api_for_tips(capsys, monkeypatch, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 0  # its "Running upgrade" lines are news, not failures
    capsys.readouterr()
    # Nobody due: the pass has nothing to send, so an unreachable Bot API does not matter.
    assert main(["tips", "send-due"]) == 0
    assert "sent=0 " in capsys.readouterr().out
    database = Database(url)
    try:
        database.run_sync(lambda c: users.touch(c, 7, datetime.now(UTC)))
        database.run_sync(
            lambda c: subscriptions.upsert(
                c, 7, time(0, 0), datetime.now(UTC), datetime.now(UTC), activate=True
            )
        )
    finally:
        database.close()
    line = one_line_failure(capsys, ["tips", "send-due"])
    assert line.startswith("Could not reach the Bot API at http://127.0.0.1:")
    assert TOKEN not in line


@pytest.mark.parametrize("limit", ["-5", "0", "x"])
def test_tips_limit_must_be_at_least_one(capsys, limit) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["tips", "send-due", "--limit", limit])
    assert exit_.value.code == 2
    assert "--limit" in capsys.readouterr().err


def test_dotenv_that_is_not_utf8(capsys, tmp_path) -> None:
    (tmp_path / ".env").write_bytes(b"DEFAULT_TIMEZONE=Europe/Berl\xe9n\n")
    line = one_line_failure(capsys, ["content", "check"])
    assert line.startswith(".env: not UTF-8 text (byte 0xe9")


def test_folder_named_like_a_content_file(capsys, tmp_path) -> None:
    (tmp_path / "x.yaml").mkdir()
    assert main(["content", "check", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "x.yaml: is a folder, not a content file" in err


@pytest.mark.parametrize("zone", ["localtime", "Factory", "posixrules", "right/UTC"])
def test_time_zone_that_is_not_a_place(capsys, monkeypatch, zone) -> None:
    monkeypatch.setenv("DEFAULT_TIMEZONE", zone)
    assert one_line_failure(capsys, ["content", "check"]).startswith("DEFAULT_TIMEZONE:")


@pytest.mark.parametrize(
    ("convert", "text"),
    [(at_least_one, "-5"), (at_least_one, "0"), (at_least_one, "2.5"), (at_least_one, "x")]
    + [(non_negative_seconds, t) for t in ("-1", "nan", "inf", "soon")],
)
def test_out_of_range_arguments_are_refused(convert, text) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        convert(text)


def test_in_range_arguments_pass() -> None:
    assert at_least_one("1") == 1
    assert non_negative_seconds("0") == 0.0
    assert non_negative_seconds("600") == 600.0


def test_paths_stay_under_tmp(tmp_path: Path) -> None:
    """The autouse fixture runs every command in tmp_path, so no test writes to the repo."""
    assert Path.cwd() == tmp_path
