"""What a quiz may draw and a tip may show: no two questions that give each other away, nothing
past its review date, and explainers that say when they were checked."""

from __future__ import annotations

import datetime as dt
import random

from bot.core.content import (
    ContentBank,
    Difficulty,
    Explainer,
    Freshness,
    Platform,
    Question,
    Source,
    Tip,
    Topic,
)
from bot.core.learning import closing_page
from bot.core.quizzes import select_questions

SOURCE = (Source("A report", "https://example.org/a/report"),)
TODAY = dt.date(2026, 12, 2)


def question(n: int, excludes: tuple[str, ...] = (), review_by: dt.date | None = None) -> Question:
    return Question(
        f"q{n}",
        "tt",
        Difficulty.EASY,
        f"Question {n}?",
        ("a", "b", "c"),
        0,
        "Because.",
        SOURCE,
        excludes=excludes,
        freshness=Freshness(dt.date(2026, 1, 1), review_by),
    )


def test_a_quiz_never_draws_two_questions_that_exclude_each_other() -> None:
    # q1 excludes q2; q3 is excluded by q4 (the rule works in both directions).
    questions = [question(1, ("q2",)), question(2), question(3), question(4, ("q3",))]
    questions += [question(n) for n in range(5, 9)]
    for seed in range(200):
        ids = {q.id for q in select_questions(questions, {}, random.Random(seed), count=5)}
        assert len(ids) == 5
        assert not {"q1", "q2"} <= ids
        assert not {"q3", "q4"} <= ids


def test_items_past_review_leave_rotation() -> None:
    stale, fresh = question(1, review_by=TODAY - dt.timedelta(days=1)), question(2)
    old_tip = Tip(
        "t1",
        "tt",
        "Tip",
        "Do it.",
        (Platform.ANY,),
        SOURCE,
        Freshness(dt.date(2026, 1, 1), dt.date(2026, 6, 1)),
    )
    bank = ContentBank((Topic("tt", "T", "S"),), (), (stale, fresh), (old_tip,))
    assert bank.quiz_questions("tt", TODAY) == [fresh]
    assert bank.quiz_questions("tt", dt.date(2026, 1, 2)) == [stale, fresh]
    assert bank.tips_in_rotation(TODAY) == []


def test_an_explainer_says_when_it_was_checked() -> None:
    explainer = Explainer(
        "e", "tt", "T", "S", ("p",), "Do.", SOURCE, Freshness(dt.date(2026, 11, 20))
    )
    assert closing_page(explainer).endswith("<i>Checked: November 2026</i>")
