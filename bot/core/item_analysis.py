"""Item analysis: how each quiz question behaves on real answers, from the answer log.

Pure statistics over plain counts, so every number can be checked by hand:

- **share correct** (the item's difficulty, "p"): right answers / answers.
- **option shares**: the share of answers that chose each option.
- **discrimination**: the upper-lower 27% index. The learners who answered the item are ranked
  by their share correct on every *other* item (the item itself is left out, so it cannot
  vouch for itself); D = mean share correct on the item among the top 27% minus the same among
  the bottom 27%. D near +1: strong learners get it, weak ones do not (a good item); near 0: it
  tells them apart no better than chance; below 0: strong learners miss it more than weak ones,
  which usually means a wrong key or an ambiguous option. An item is flagged only when D is
  below zero by more than twice its standard error (from the spread of the two groups' scores),
  so a few unlucky answers on an easy item, where D hovers around 0, raise no alarm.

A learner's share correct on one item is over all their answers to it (reviews included), so
one keen learner counts once in D however often they answered. Everything here is aggregate:
a learner's id only groups their answers and never leaves this module.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.core.content import Question

DEFAULT_MIN_ANSWERS = 20
TOO_EASY_AT = 0.95  # share correct at or above which an item teaches little
NOISE_MARGIN = 2.0  # standard errors D must fall below zero to be flagged
UNUSED_BELOW = 0.05  # a distractor chosen by fewer answers than this does no work
GROUP_SHARE = 0.27  # Kelley's upper and lower groups
MIN_RANKED_LEARNERS = 10  # fewer than this and the groups are too small to compare


class Flag(StrEnum):
    TOO_EASY = "too easy"
    NEGATIVE = "negative disc"
    UNUSED_OPTION = "unused option"


@dataclass(frozen=True, slots=True)
class AnswerCount:
    """The log, grouped: how often one learner chose one option of one question."""

    user_id: int
    question_id: str
    chosen: int
    answers: int
    correct: int


@dataclass(frozen=True, slots=True)
class ItemStats:
    question_id: str
    topic: str
    answers: int
    share_correct: float
    option_shares: tuple[float, ...]  # in the bank's option order
    correct_option: int
    discrimination: float | None  # None: too few ranked learners
    unused_options: tuple[int, ...]  # distractors under UNUSED_BELOW (0-based)
    flags: tuple[Flag, ...]


@dataclass(frozen=True, slots=True)
class ItemReport:
    items: tuple[ItemStats, ...]  # bank order
    min_answers: int
    below_minimum: int  # questions in the bank with fewer than min_answers answers
    answers: int  # every retained answer, including to questions no longer in the bank


@dataclass
class Tally:
    """Answers and right answers, for one learner overall or on one item."""

    answers: int = 0
    correct: int = 0

    def share(self) -> float:
        return self.correct / self.answers


def analyse(
    questions: Sequence[Question],
    counts: Iterable[AnswerCount],
    min_answers: int = DEFAULT_MIN_ANSWERS,
) -> ItemReport:
    """Statistics for every question with at least `min_answers` answers."""
    per_learner: dict[int, Tally] = defaultdict(Tally)
    per_item: dict[str, dict[int, Tally]] = defaultdict(lambda: defaultdict(Tally))
    chosen: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    total = 0
    for count in counts:
        total += count.answers
        for tally in (per_learner[count.user_id], per_item[count.question_id][count.user_id]):
            tally.answers += count.answers
            tally.correct += count.correct
        chosen[count.question_id][count.chosen] += count.answers
    items = []
    below = 0
    for question in questions:
        learners = per_item.get(question.id, {})
        answered = sum(t.answers for t in learners.values())
        if answered < min_answers or answered == 0:
            below += 1
            continue
        items.append(_item(question, learners, chosen[question.id], per_learner))
    return ItemReport(tuple(items), min_answers, below, total)


def _item(
    question: Question,
    learners: dict[int, Tally],
    chosen: dict[int, int],
    per_learner: dict[int, Tally],
) -> ItemStats:
    answered = sum(t.answers for t in learners.values())
    right = sum(t.correct for t in learners.values())
    share_correct = right / answered
    shares = tuple(chosen.get(i, 0) / answered for i in range(len(question.options)))
    ranked = [
        (rest, learner_id, tally.share())
        for learner_id, tally in learners.items()
        if (rest := rest_score(per_learner[learner_id], tally)) is not None
    ]
    groups = upper_lower_groups(ranked)
    discrimination = None if groups is None else upper_lower_index(*groups)
    unused = unused_distractors(shares, question.correct)
    flags = []
    if share_correct >= TOO_EASY_AT:
        flags.append(Flag.TOO_EASY)
    if groups is not None and clearly_negative(*groups):
        flags.append(Flag.NEGATIVE)
    # On a too-easy item every distractor is rare by definition: "too easy" already says it.
    if unused and Flag.TOO_EASY not in flags:
        flags.append(Flag.UNUSED_OPTION)
    return ItemStats(
        question_id=question.id,
        topic=question.topic,
        answers=answered,
        share_correct=share_correct,
        option_shares=shares,
        correct_option=question.correct,
        discrimination=discrimination,
        unused_options=unused,
        flags=tuple(flags),
    )


def rest_score(overall: Tally, on_item: Tally) -> float | None:
    """A learner's share correct on every other item; None when they answered nothing else."""
    answers = overall.answers - on_item.answers
    if answers <= 0:
        return None
    return (overall.correct - on_item.correct) / answers


def upper_lower_groups(
    ranked: Sequence[tuple[float, int, float]],
) -> tuple[list[float], list[float]] | None:
    """The item scores of the top and bottom 27% of learners by rest score, from (rest score,
    learner id, share correct on the item) per learner; None under MIN_RANKED_LEARNERS.

    Ties in rest score are broken by learner id: arbitrary, but ids say nothing about ability,
    and the same log always gives the same groups.
    """
    if len(ranked) < MIN_RANKED_LEARNERS:
        return None
    ordered = sorted(ranked, key=lambda r: (r[0], r[1]))
    size = max(1, round(GROUP_SHARE * len(ordered)))
    return [item for _, _, item in ordered[-size:]], [item for _, _, item in ordered[:size]]


def upper_lower_index(upper: Sequence[float], lower: Sequence[float]) -> float:
    """D: the upper group's mean share correct on the item minus the lower group's."""
    return _mean(upper) - _mean(lower)


def clearly_negative(upper: Sequence[float], lower: Sequence[float]) -> bool:
    """D below zero by more than NOISE_MARGIN standard errors of the difference of means."""
    error = math.sqrt(_variance(upper) / len(upper) + _variance(lower) / len(lower))
    return upper_lower_index(upper, lower) < -NOISE_MARGIN * error


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _variance(values: Sequence[float]) -> float:
    """The sample variance (0 for a single value)."""
    if len(values) < 2:
        return 0.0
    mean = _mean(values)
    return sum((v - mean) ** 2 for v in values) / (len(values) - 1)


def unused_distractors(shares: Sequence[float], correct: int) -> tuple[int, ...]:
    """Wrong options almost nobody picks, on items with at least three options."""
    if len(shares) < 3:
        return ()
    return tuple(i for i, share in enumerate(shares) if i != correct and share < UNUSED_BELOW)
