"""Quiz rules: question choice, grading and the 1/3/7-day review ladder."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.core.content import Difficulty, Question
from bot.core.quizzes import (
    is_correct,
    next_review,
    select_questions,
)
from bot.core.records import Memory

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def question(n: int, topic: str = "cctv") -> Question:
    return Question(
        f"{topic}-q{n:02d}", topic, Difficulty.EASY, f"Q{n}?", ("a", "b", "c"), n % 3, "why", ()
    )


def memory(qid: str, last_correct: bool, step: int | None = None, due=None) -> Memory:
    return Memory(qid, 1, int(last_correct), last_correct, step, due)


def test_unseen_first_then_missed_then_known() -> None:
    pool = [question(n) for n in range(1, 9)]
    known = {f"cctv-q0{n}": memory(f"cctv-q0{n}", True) for n in (1, 2, 3)}
    missed = {f"cctv-q0{n}": memory(f"cctv-q0{n}", False) for n in (4, 5)}
    chosen = select_questions(pool, known | missed, random.Random(1), count=5)
    ids = [q.id for q in chosen]
    assert set(ids[:3]) == {"cctv-q06", "cctv-q07", "cctv-q08"}
    assert set(ids[3:]) == {"cctv-q04", "cctv-q05"}


def test_known_questions_fill_in_only_when_nothing_else_is_left() -> None:
    pool = [question(n) for n in range(1, 4)]
    all_known = {q.id: memory(q.id, True) for q in pool}
    assert len(select_questions(pool, all_known, random.Random(2), count=5)) == 3


@given(st.integers(min_value=0, max_value=30), st.integers(min_value=0, max_value=2**32))
def test_a_quiz_never_repeats_a_question(size: int, seed: int) -> None:
    pool = [question(n) for n in range(size)]
    chosen = select_questions(pool, {}, random.Random(seed), count=5)
    assert len(chosen) == min(5, size)
    assert len({q.id for q in chosen}) == len(chosen)


def test_grading_accepts_only_the_correct_option() -> None:
    q = question(1)  # correct option is 1
    assert is_correct(q, [1])
    assert not is_correct(q, [0])
    assert not is_correct(q, [])
    assert not is_correct(q, [1, 2])


def test_review_ladder_one_three_seven_days_then_done() -> None:
    missed = next_review(None, correct=False, now=NOW)
    assert (missed.step, missed.due_at) == (0, NOW + DAY)
    state = memory("q", False, missed.step, missed.due_at)
    second = next_review(state, correct=True, now=NOW + DAY)
    assert (second.step, second.due_at) == (1, NOW + DAY + 3 * DAY)
    state = memory("q", True, second.step, second.due_at)
    third = next_review(state, correct=True, now=NOW + 4 * DAY)
    assert (third.step, third.due_at) == (2, NOW + 4 * DAY + 7 * DAY)
    state = memory("q", True, third.step, third.due_at)
    assert next_review(state, correct=True, now=NOW + 11 * DAY).due_at is None


def test_a_miss_on_the_ladder_resets_it_to_one_day() -> None:
    on_ladder = memory("q", True, 2, NOW)
    reset = next_review(on_ladder, correct=False, now=NOW)
    assert (reset.step, reset.due_at) == (0, NOW + DAY)


def test_right_answer_to_a_never_missed_question_schedules_nothing() -> None:
    assert next_review(None, correct=True, now=NOW).due_at is None
