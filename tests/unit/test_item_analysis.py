"""Item analysis on hand-computed logs: shares, the upper-lower 27% index and the flags."""

from __future__ import annotations

import pytest

from bot.core.content import Difficulty, Question
from bot.core.item_analysis import (
    AnswerCount,
    Flag,
    Tally,
    analyse,
    clearly_negative,
    rest_score,
    unused_distractors,
    upper_lower_groups,
    upper_lower_index,
)


def question(qid: str, options: int = 3, correct: int = 0) -> Question:
    return Question(
        id=qid,
        topic="cctv",
        difficulty=Difficulty.EASY,
        question="?",
        options=tuple(f"option {i}" for i in range(options)),
        correct=correct,
        explanation="because",
        sources=(),
    )


def anchor_log() -> list[AnswerCount]:
    """Ten learners; learner i answered "anchor" 10 times and got i right (always option 0
    when right, option 1 when wrong), so their rest score on any other item is i/10."""
    log = []
    for learner in range(10):
        if learner:
            log.append(AnswerCount(learner, "anchor", 0, learner, learner))
        log.append(AnswerCount(learner, "anchor", 1, 10 - learner, 0))
    return log


def test_strong_learners_right_weak_learners_wrong_gives_d_of_one() -> None:
    # On "item", learners 5-9 choose the key (option 0), learners 0-4 option 1, nobody option 2.
    log = anchor_log() + [
        AnswerCount(learner, "item", 0 if learner >= 5 else 1, 1, 1 if learner >= 5 else 0)
        for learner in range(10)
    ]
    report = analyse([question("item"), question("anchor")], log, min_answers=10)
    item, anchor = report.items
    assert item.answers == 10
    assert item.share_correct == 0.5
    assert item.option_shares == (0.5, 0.5, 0.0)
    # Groups of round(0.27 * 10) = 3: learners 7, 8, 9 all right, learners 0, 1, 2 all wrong.
    assert item.discrimination == pytest.approx(1.0)
    assert item.unused_options == (2,)
    assert item.flags == (Flag.UNUSED_OPTION,)
    # The anchor's rest score is the learner's item score (0 or 1), ties broken by id:
    # lower = learners 0, 1, 2 (0.0, 0.1, 0.2 on the anchor), upper = 7, 8, 9 (0.7, 0.8, 0.9).
    assert anchor.answers == 100
    assert anchor.share_correct == 0.45
    assert anchor.discrimination == pytest.approx(0.8 - 0.1)
    assert report.answers == 110
    assert report.below_minimum == 0


def test_strong_learners_missing_an_item_is_negative_discrimination() -> None:
    log = anchor_log() + [
        AnswerCount(learner, "item", 1 if learner >= 5 else 0, 1, 0 if learner >= 5 else 1)
        for learner in range(10)
    ]
    (item,) = analyse([question("item")], log, min_answers=10).items
    assert item.discrimination == pytest.approx(-1.0)
    assert Flag.NEGATIVE in item.flags


def test_no_difference_between_groups_is_not_flagged() -> None:
    # Everyone right once, wrong once: D = 0, share correct 50%, both distractors used.
    log = anchor_log()
    for learner in range(10):
        log.append(AnswerCount(learner, "item", 0, 1, 1))
        log.append(AnswerCount(learner, "item", 1 + learner % 2, 1, 0))
    (item,) = analyse([question("item")], log, min_answers=10).items
    assert item.discrimination == pytest.approx(0.0)
    assert item.option_shares == (0.5, 0.25, 0.25)
    assert item.flags == ()


@pytest.mark.parametrize(("right", "too_easy"), [(19, True), (18, False)])
def test_too_easy_from_95_percent_and_it_replaces_the_unused_option_flag(
    right: int, too_easy: bool
) -> None:
    log = [AnswerCount(n, "item", 0, 1, 1) for n in range(right)]
    log += [AnswerCount(n, "item", 1, 1, 0) for n in range(right, 20)]
    (item,) = analyse([question("item")], log, min_answers=20).items
    assert item.share_correct == right / 20
    assert item.discrimination is None  # nobody answered anything else: no rest scores
    expected = (Flag.TOO_EASY,) if too_easy else (Flag.UNUSED_OPTION,)
    assert item.flags == expected


def test_items_below_the_minimum_are_only_counted() -> None:
    log = [AnswerCount(n, "busy", 0, 1, 1) for n in range(5)]
    log += [AnswerCount(n, "quiet", 0, 1, 1) for n in range(4)]
    log += [AnswerCount(n, "removed-from-bank", 0, 1, 1) for n in range(7)]
    report = analyse([question("busy"), question("quiet"), question("unseen")], log, 5)
    assert [item.question_id for item in report.items] == ["busy"]
    assert report.below_minimum == 2  # "quiet" (4 answers) and "unseen" (none)
    assert report.answers == 16


def test_repeat_answers_count_once_per_learner_in_d() -> None:
    # Learner 9 answered the item 50 times wrong; in D they are one learner with score 0.
    log = anchor_log() + [
        AnswerCount(learner, "item", 0, 1, 1) for learner in range(9) if learner >= 3
    ]
    log += [AnswerCount(learner, "item", 1, 1, 0) for learner in range(3)]
    log.append(AnswerCount(9, "item", 1, 50, 0))
    (item,) = analyse([question("item")], log, min_answers=10).items
    assert item.answers == 59
    # lower = learners 0, 1, 2 (all wrong: 0); upper = 7, 8, 9 (1, 1, 0): D = 2/3.
    assert item.discrimination == pytest.approx(2 / 3)


def test_groups_need_ten_ranked_learners_and_are_27_percent() -> None:
    nine = [(i / 10, i, float(i % 2)) for i in range(9)]
    assert upper_lower_groups(nine) is None
    # Eleven learners: groups of round(2.97) = 3. Learners 7, 19 and 20 tie at 0.7 across the
    # upper boundary; ranked by id, 19 and 20 (both 0.0) join 8 (0.8) at the top, not 7 (1.0).
    eleven = [*nine, (0.7, 20, 0.0), (0.7, 19, 0.0)]
    assert upper_lower_groups(eleven) == ([0.0, 0.0, 0.0], [0.0, 1.0, 0.0])


def test_rest_score_leaves_the_item_out() -> None:
    # 10 answers overall, 7 right; 2 of them (both right) on this item: 5 of the other 8 right.
    assert rest_score(Tally(10, 7), Tally(2, 2)) == 5 / 8
    assert rest_score(Tally(2, 2), Tally(2, 2)) is None  # nothing else answered


def test_d_is_the_difference_of_group_means() -> None:
    assert upper_lower_index([1.0, 0.5, 0.0], [0.0, 0.0, 0.0]) == pytest.approx(0.5)


def test_negative_d_is_flagged_only_beyond_twice_its_standard_error() -> None:
    # D = -0.75; lower variance 0.25, upper 0: SE = sqrt(0.25 / 4) = 0.25, -0.75 < -0.5.
    assert clearly_negative([0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 0.0])
    # D = -0.25; SE = sqrt((1/3) / 4 + 0.25 / 4) = 0.38, -0.25 > -0.76: noise.
    assert not clearly_negative([0.0, 1.0, 0.0, 1.0], [1.0, 1.0, 0.0, 1.0])
    # No spread at all: any negative D is real.
    assert clearly_negative([0.0, 0.0, 0.0], [0.2, 0.2, 0.2])
    assert not clearly_negative([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])


def test_unused_distractors_only_on_three_or_more_options_never_the_key() -> None:
    assert unused_distractors((0.96, 0.04), correct=0) == ()
    assert unused_distractors((0.01, 0.5, 0.49), correct=0) == ()  # the key is not a distractor
    assert unused_distractors((0.6, 0.36, 0.04, 0.0), correct=0) == (2, 3)
    assert unused_distractors((0.6, 0.35, 0.05), correct=0) == ()  # 5% is in use
