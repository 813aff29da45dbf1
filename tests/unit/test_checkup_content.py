"""`content check` over the check-up course: a broken item names its file, line, item and field."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.contentbank.loader import ContentErrors, check_content, load_content
from tests.conftest import CONTENT_DIR

TODAY = dt.date(2026, 12, 8)
COURSE = "17-checkup.yaml"


def _bank_with(tmp_path: Path, change: Callable[[list[dict[str, Any]]], None]) -> Path:
    shutil.copytree(CONTENT_DIR, tmp_path / "content")
    path = tmp_path / "content" / COURSE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data["checkup"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return tmp_path / "content"


def _line_of(directory: Path, needle: str) -> int:
    lines = (directory / COURSE).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.strip() == needle)


def test_the_shipped_course_passes_every_rule() -> None:
    report = check_content(CONTENT_DIR, TODAY)
    assert report.problems == []
    assert [d.day for d in report.bank.checkup] == list(range(1, 8))


def _drop_android(days: list[dict[str, Any]]) -> None:
    days[0]["actions"] = [a for a in days[0]["actions"] if a["platform"] != "android"]


def _bad_correct(days: list[dict[str, Any]]) -> None:
    days[1]["check"][0]["correct"] = 7


def _unsafe_html(days: list[dict[str, Any]]) -> None:
    days[2]["actions"][0]["text"] = "Open <b>Settings"


@pytest.mark.parametrize(
    ("change", "item", "field", "message", "needle"),
    [
        (
            _drop_android,
            "day checkup-day-1",
            "actions",
            "no action for android",
            "id: checkup-day-1",
        ),
        (_bad_correct, "question checkup-perms-q1", "correct", "out of range", "correct: 7"),
        (
            _unsafe_html,
            "action checkup-history-android",
            "text",
            "Telegram",
            "text: Open <b>Settings",
        ),
    ],
)
def test_a_broken_checkup_item_names_file_line_item_and_field(
    tmp_path: Path,
    change: Callable[[list[dict[str, Any]]], None],
    item: str,
    field: str,
    message: str,
    needle: str,
) -> None:
    directory = _bank_with(tmp_path, change)
    with pytest.raises(ContentErrors) as caught:
        load_content(directory)
    [error] = caught.value.errors
    assert error.file.endswith(COURSE)
    assert error.item == item
    assert error.field == field
    assert message in error.message
    if field != "actions":
        assert error.line == _line_of(directory, needle)
    else:
        assert error.line is not None


def _long_lesson(days: list[dict[str, Any]]) -> None:
    days[3]["lesson"] = "<b>Long</b>\n" + "word " * 190


def _no_review_by(days: list[dict[str, Any]]) -> None:
    del days[4]["actions"][0]["review_by"]


def _six_days(days: list[dict[str, Any]]) -> None:
    del days[6]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_long_lesson, "item day checkup-day-4: field lesson: is 954 characters"),
        (_no_review_by, "item action checkup-disappear-any: field review_by"),
        (_six_days, "the check-up has 6 days; write 7"),
    ],
)
def test_the_quality_rules_apply_to_the_course(
    tmp_path: Path, change: Callable[[list[dict[str, Any]]], None], expected: str
) -> None:
    report = check_content(_bank_with(tmp_path, change), TODAY)
    found = [str(problem) for problem in report.problems]
    assert any(expected in line and COURSE in line for line in found), found
