"""`content check`'s quality rules: each one fails on a small bank built to break it.

The bank here is generated (one topic, 12 questions, 10 tips) and passes every rule; each test
breaks exactly one thing and expects the checker to name the item and say what is wrong. So an
operator's own bank gets the verdict the shipped bank gets in CI, from the same code.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.contentbank.loader import ContentErrors, ContentReport, check_content, load_content

TODAY = dt.date(2026, 12, 2)
SOURCE = {
    "title": "A report",
    "publisher": "A newspaper",
    "date": "2026-01",
    "url": "https://example.org/a/report",
}
WRONG = ["Police cameras", "Shop cameras only", "Cameras on buses", "Traffic cameras"]
STEMS = [
    "You park in a multi-storey car park at night",
    "A new shop opens on your street with a dome on its ceiling",
    "Your bus has a small black lens above the driver",
    "The council puts a mast at a busy crossing",
    "A neighbour fits a doorbell that faces the pavement",
    "Your employer adds a turnstile with a screen at the entrance",
    "A stadium emails tickets that need a selfie",
    "The train station shows a sign about live monitoring",
    "A pharmacy asks to photograph your prescription",
    "Your landlord mentions cameras in the stairwell",
    "A protest route passes a row of lamp posts with boxes",
    "The school gate gets a reader that beeps at cards",
]
TIPS = [
    ("Turn off ad personalisation", "Open the ads settings and switch personalised ads off."),
    ("Review app location access", "List the apps that can see your location and remove two."),
    (
        "Ask a shop for its camera policy",
        "At the till, ask who can view the footage and for how long.",
    ),
    ("Request your data from a gym", "Email the gym and ask for a copy of the data held on you."),
    (
        "Cover an unused laptop camera",
        "Put a sliding cover over the webcam when you are not on a call.",
    ),
    ("Check who can see old posts", "Limit past public posts to friends in one step in settings."),
    ("Use a passcode, not a face", "Before travel, switch phone unlock to a six-digit passcode."),
    ("Blur faces before sharing", "Use the blur tool in your photo editor on faces in crowds."),
    ("Read the sign at the door", "Signs must name who runs the cameras: note it to ask later."),
    ("Turn on automatic updates", "Updates close holes that spyware uses: enable them today."),
]


def question(n: int) -> dict[str, Any]:
    options = [f"{option} in area {n}" for option in WRONG]
    return {
        "id": f"t-q{n:02d}",
        "topic": "tt",
        "difficulty": "easy",
        "style": "scenario" if n % 2 else "decision",
        "question": f"{STEMS[n - 1]}. Who most likely runs that camera?",
        "options": options,
        "correct": n % 4,
        "explanation": "Who installs a camera follows from who owns the place and why.",
        "reviewed": "2026-11-01",
        "sources": [dict(SOURCE)],
    }


def valid_bank() -> dict[str, Any]:
    return {
        "topics": [{"id": "tt", "title": "Topic", "summary": "A test topic."}],
        "explainers": [
            {
                "id": "t-explainer",
                "topic": "tt",
                "title": "Explainer",
                "summary": "One line.",
                "pages": ["Page one.", "Page two."],
                "what_you_can_do": "Do one thing.",
                "reviewed": "2026-11-01",
                "sources": [dict(SOURCE)],
            }
        ],
        "questions": [question(n) for n in range(1, 13)],
        "tips": [
            {
                "id": f"t-tip{n:02d}",
                "topic": "tt",
                "title": title,
                "text": text,
                "platforms": ["any"],
                "reviewed": "2026-11-01",
                "sources": [dict(SOURCE)],
            }
            for n, (title, text) in enumerate(TIPS, 1)
        ],
    }


def check(tmp_path: Path, bank: dict[str, Any]) -> ContentReport:
    (tmp_path / "bank.yaml").write_text(yaml.safe_dump(bank, allow_unicode=True, sort_keys=False))
    return check_content(tmp_path, TODAY)


def messages(report: ContentReport) -> list[str]:
    return [str(problem) for problem in report.problems]


def test_the_generated_bank_passes_every_rule(tmp_path: Path) -> None:
    report = check(tmp_path, valid_bank())
    assert messages(report) == []
    assert report.stale == []


def _few_questions(bank: dict[str, Any]) -> None:
    del bank["questions"][11]


def _few_tips(bank: dict[str, Any]) -> None:
    del bank["tips"][9]


def _one_page(bank: dict[str, Any]) -> None:
    bank["explainers"][0]["pages"] = ["Only one page."]


def _five_options(bank: dict[str, Any]) -> None:
    bank["questions"][0]["options"].append("Doorbell cameras in area 1")


def _long_key(bank: dict[str, Any]) -> None:
    q = bank["questions"][0]
    q["options"][q["correct"]] += " and also every camera that a private company installed"


def _one_position(bank: dict[str, Any]) -> None:
    for q in bank["questions"][:6]:
        q["correct"] = 0


def _longest_always_right(bank: dict[str, Any]) -> None:
    for q in bank["questions"]:
        q["options"][q["correct"]] += " now"


def _absolutes_only_wrong(bank: dict[str, Any]) -> None:
    for q in bank["questions"]:
        for i, option in enumerate(q["options"]):
            if i != q["correct"]:
                q["options"][i] = f"Always {option.lower()}"[: len(option) + 3]


def _all_no(bank: dict[str, Any]) -> None:
    for q in bank["questions"][:4]:
        q["options"] = ["Yes, by law", "No, not by law", "Yes, sometimes"]
        q["correct"] = 1


def _recall_only(bank: dict[str, Any]) -> None:
    for q in bank["questions"]:
        q["style"] = "recall"


def _twin_questions(bank: dict[str, Any]) -> None:
    bank["questions"][1]["question"] = bank["questions"][0]["question"]


def _twin_tips(bank: dict[str, Any]) -> None:
    bank["tips"][1]["text"] = bank["tips"][0]["text"]


def _untraced_claim(bank: dict[str, Any]) -> None:
    bank["explainers"][0]["pages"][0] = "The system recognises 3,000 car models."


def _bad_exclude(bank: dict[str, Any]) -> None:
    bank["questions"][0]["excludes"] = ["t-q99"]


RULES: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "questions per topic": (_few_questions, "has 11 questions"),
    "tips per topic": (_few_tips, "has 9 tips"),
    "explainer pages": (_one_page, "has 1 pages"),
    "options per question": (_five_options, "has 5; write 3-4"),
    "key length": (_long_key, "as long as the wrong ones"),
    "key position": (_one_position, "option 1 is correct in"),
    "pick the longest": (_longest_always_right, "pick the longest option"),
    "absolute words": (_absolutes_only_wrong, "absolute words"),
    "yes/no keying": (_all_no, "keyed yes"),
    "scenario share": (_recall_only, "scenario or decision"),
    "near-duplicate questions": (_twin_questions, "says nearly the same"),
    "near-duplicate tips": (_twin_tips, "says nearly the same"),
    "untraced claims": (_untraced_claim, "3,000 car models"),
    "excludes": (_bad_exclude, "is not another question"),
}


@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_rule_fails_a_bank_that_breaks_it(tmp_path: Path, rule: str) -> None:
    bank = copy.deepcopy(valid_bank())
    breaks, words = RULES[rule]
    breaks(bank)
    found = messages(check(tmp_path, bank))
    assert any(words in message for message in found), found


def test_an_item_past_review_is_listed_as_stale(tmp_path: Path) -> None:
    bank = valid_bank()
    bank["tips"][0]["review_by"] = "2026-12-01"
    report = check(tmp_path, bank)
    [stale] = report.stale
    assert (stale.item, stale.field) == ("tip t-tip01", "review_by")
    assert stale.line == _line_of(tmp_path, "t-tip01")
    assert "past its review date 2026-12-01" in stale.message


def _line_of(tmp_path: Path, item_id: str) -> int:
    lines = (tmp_path / "bank.yaml").read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.endswith(f"id: {item_id}"))


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda b: b["tips"][0]["sources"][0].update(url="https://apnews.com/"), "url", "home"),
        (lambda b: b["tips"][0]["sources"][0].pop("date"), "date", "publication date"),
        (lambda b: b["tips"][0].pop("reviewed"), "reviewed", "Field required"),
        (lambda b: b["tips"][0].update(review_by="2026-01-01"), "review_by", "later than"),
        (lambda b: b["questions"][0].pop("style"), "style", "Field required"),
    ],
)
def test_sources_and_review_dates_are_part_of_the_schema(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], field: str, words: str
) -> None:
    bank = copy.deepcopy(valid_bank())
    change(bank)
    with pytest.raises(ContentErrors) as raised:
        check(tmp_path, bank)
    assert any(
        field in f"{e.field}: {e.message}" and words in e.message for e in raised.value.errors
    ), raised.value.report()


def test_yaml_errors_point_at_where_the_problem_starts(tmp_path: Path) -> None:
    (tmp_path / "bank.yaml").write_text('topics:\n  - id: "unclosed\n    title: x\n')
    with pytest.raises(ContentErrors) as raised:
        load_content(tmp_path)
    [error] = raised.value.errors
    assert error.line == 2
    assert "column" in error.message


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: (d / "empty.yaml").write_text(""), "is empty"),
        (lambda d: (d / "folder.yaml").mkdir(), "is a folder"),
    ],
)
def test_odd_files_get_one_clear_line(
    tmp_path: Path, make: Callable[[Path], object], words: str
) -> None:
    make(tmp_path)
    with pytest.raises(ContentErrors) as raised:
        load_content(tmp_path)
    assert [words in e.message for e in raised.value.errors] == [True]
