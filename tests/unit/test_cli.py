"""`python -m bot content check` and friends: what an operator sees, and the exit codes."""

from __future__ import annotations

import re

import pytest

from bot.__main__ import main
from bot.config import PROJECT_ROOT

BROKEN = PROJECT_ROOT / "tests" / "unit" / "broken_content"


def test_content_check_prints_counts_per_topic(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "check"]) == 0
    out = capsys.readouterr().out
    assert ": OK" in out
    table = out.split("Cue statistics")[0].splitlines()[1:]
    rows = {line.split()[0]: line.split()[1:] for line in table}
    assert "cctv" in rows
    assert "self-defence" in rows
    pages, questions, easy, medium, hard, applied, tips = map(int, rows["total"])
    assert questions == easy + medium + hard
    assert applied * 2 >= questions
    assert questions >= 180
    assert tips >= 150
    assert pages >= 30
    assert '"pick the longest" scores' in out


def test_content_check_lists_every_error_and_fails(
    capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    for case in ("unsupported_tag", "too_many_options"):
        (tmp_path / f"{case}.yaml").write_text((BROKEN / case / "content.yaml").read_text())
    assert main(["content", "check", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "problems:" in err
    assert re.search(
        r"unsupported_tag.yaml:\d+: item explainer sample-explainer: field pages.0", err
    )
    assert re.search(r"too_many_options.yaml:\d+: item question sample-q01: field options", err)
    assert "Traceback" not in err


def test_missing_content_directory_is_a_clear_error(capsys, tmp_path) -> None:
    assert main(["content", "check", str(tmp_path / "nope")]) == 1
    assert "no such directory" in capsys.readouterr().err


def test_bad_setting_stops_with_one_line(capsys, monkeypatch) -> None:
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Atlantis/Capital")
    assert main(["content", "check"]) == 2
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith("DEFAULT_TIMEZONE:")


def test_db_upgrade_creates_the_database(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'ops.sqlite3'}")
    assert main(["db", "upgrade"]) == 0
    assert "Database is at revision" in capsys.readouterr().out
    assert (tmp_path / "ops.sqlite3").exists()
