"""Content validation: every broken file is reported with file, line, item, field and reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from bot.contentbank.loader import ContentErrors, load_content
from bot.contentbank.schema import json_schema

BROKEN = Path(__file__).parent / "broken_content"

# fixture folder -> (file, item, field, words the message must contain)
CASES = {
    "invalid_yaml": ("content.yaml", None, None, "is not valid YAML"),
    "unknown_field": ("content.yaml", "question sample-q01", "hint", "Extra inputs"),
    "unsupported_tag": ("content.yaml", "explainer sample-explainer", "pages.0", "<br>"),
    "unclosed_tag": ("content.yaml", "explainer sample-explainer", "pages.0", "never closed"),
    "bare_ampersand": ("content.yaml", "explainer sample-explainer", "pages.0", "&amp;"),
    "page_too_long": ("content.yaml", "explainer sample-explainer", "pages.0", "after HTML"),
    "question_too_long": ("content.yaml", "question sample-q01", "question", "max 300"),
    "option_too_long": ("content.yaml", "question sample-q01", "options.2", "max 100"),
    "too_few_options": ("content.yaml", "question sample-q01", "options", "at least 2"),
    "too_many_options": ("content.yaml", "question sample-q01", "options", "at most 10"),
    "duplicate_options": ("content.yaml", "question sample-q01", "options", "the same"),
    "correct_out_of_range": ("content.yaml", "question sample-q01", "correct", "out of range"),
    "explanation_too_long": ("content.yaml", "question sample-q01", "explanation", "max 200"),
    "explanation_line_feeds": ("content.yaml", "question sample-q01", "explanation", "allows 2"),
    "bad_difficulty": ("content.yaml", "question sample-q01", "difficulty", "'easy'"),
    "empty_sources": ("content.yaml", "tip sample-tip01", "sources", "at least 1"),
    "bad_url": ("content.yaml", "explainer sample-explainer", "sources.0.url", "URL"),
    "bad_platform": ("content.yaml", "tip sample-tip01", "platforms.0", "'android'"),
    "unknown_topic": ("content.yaml", "question sample-q01", "topic", "unknown topic"),
    "bad_id": ("content.yaml", "tip Sample Tip!", "id", "pattern"),
    "duplicate_id": ("more.yaml", "question sample-q01", "id", "duplicate id"),
}


def test_every_broken_fixture_has_a_case() -> None:
    folders = {p.name for p in BROKEN.iterdir() if p.is_dir()} - {"valid"}
    assert folders == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_file_is_reported_precisely(case: str) -> None:
    file, item, field, words = CASES[case]
    with pytest.raises(ContentErrors) as raised:
        load_content(BROKEN / case)
    errors = raised.value.errors
    assert len(errors) == 1, raised.value.report()
    error = errors[0]
    assert error.file.endswith(f"{case}/{file}")
    assert error.line is not None
    assert error.item == item
    assert error.field == field
    assert words in error.message


def test_valid_fixture_loads() -> None:
    bank = load_content(BROKEN / "valid")
    assert [t.id for t in bank.topics] == ["sample"]
    question = bank.question("sample-q01")
    assert question is not None
    assert question.options[question.correct] == "The second"


def test_all_errors_are_listed_not_just_the_first(tmp_path: Path) -> None:
    for case in ("unsupported_tag", "bad_platform"):
        (tmp_path / f"{case}.yaml").write_text((BROKEN / case / "content.yaml").read_text())
    with pytest.raises(ContentErrors) as raised:
        load_content(tmp_path)
    fields = {e.field for e in raised.value.errors}
    # Both files define the same ids, so duplicates are reported too.
    assert {"pages.0", "platforms.0", "id"} <= fields


def test_shipped_bank_is_valid(content_bank) -> None:
    assert content_bank.topics
    assert content_bank.explainers
    assert len(content_bank.questions) >= 5
    assert len(content_bank.tips) >= 5


def test_committed_json_schema_is_current() -> None:
    committed = json.loads((PROJECT_ROOT / "content" / "schema.json").read_text())
    assert committed == json_schema(), "run: python -m bot content schema > content/schema.json"
