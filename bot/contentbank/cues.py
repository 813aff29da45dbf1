"""Cue statistics: how far a test-wise learner gets without knowing anything.

A quiz item leaks its answer when the key looks different from the wrong options: longer, more
hedged, free of absolute words, or always "No" in a yes/no item. These numbers measure the leaks
over a set of questions so an author sees them before learners do; `quality` turns the margins
into rules.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.content import Question, QuestionStyle

ABSOLUTE_WORDS = re.compile(
    r"\b(always|never|only|all|every|none|nothing|exactly|any|entirely|completely)\b",
    re.IGNORECASE,
)
HEDGE_WORDS = re.compile(
    r"\b(may|might|can|could|some|most|usually|often|about|generally|likely)\b", re.IGNORECASE
)
_YES_NO = re.compile(r"^(yes|no|true|false|myth|fact)\b", re.IGNORECASE)
APPLIED_STYLES = frozenset({QuestionStyle.SCENARIO, QuestionStyle.DECISION})


@dataclass(frozen=True, slots=True)
class CueStats:
    """Shares over a set of questions; each is between 0 and 1."""

    questions: int
    key_longest: float
    """Share of questions whose key is strictly the longest option."""
    pick_longest: float
    """Expected score of always picking the longest option (ties split evenly)."""
    pick_shortest: float
    """Expected score of always picking the shortest option."""
    absolute_in_keys: float
    absolute_in_wrong: float
    hedge_in_keys: float
    hedge_in_wrong: float
    yes_no: int
    yes_keyed: int
    top_position_share: float
    """Share of keys in the most used option position."""
    applied: float
    """Share of scenario and decision questions."""

    @property
    def absolute_gap(self) -> float:
        """How much likelier a wrong option is to carry an absolute word than the key."""
        return self.absolute_in_wrong - self.absolute_in_keys


def key_length_ratio(question: Question) -> float:
    """The key's length over the mean length of the wrong options."""
    wrong = [len(o) for i, o in enumerate(question.options) if i != question.correct]
    return len(question.options[question.correct]) / (sum(wrong) / len(wrong))


def yes_no_key(question: Question) -> bool | None:
    """For a yes/no (true/false, fact/myth) item: is it keyed "yes"? None for other items.

    An item counts when its key and at least one wrong option open with such a word ("No, only
    in…"), because that is what a guesser who always answers "No" exploits.
    """
    words = [_YES_NO.match(option) for option in question.options]
    key = words[question.correct]
    if key is None or sum(1 for word in words if word) < 2:
        return None
    return key.group(1).casefold() in ("yes", "true", "fact")


def cue_stats(questions: Sequence[Question]) -> CueStats:
    count = len(questions) or 1
    key_longest = pick_longest = pick_shortest = 0.0
    keys_absolute = wrong_absolute = keys_hedged = wrong_hedged = wrong_total = 0
    yes_no = yes_keyed = 0
    for question in questions:
        lengths = [len(option) for option in question.options]
        longest = [i for i, n in enumerate(lengths) if n == max(lengths)]
        shortest = [i for i, n in enumerate(lengths) if n == min(lengths)]
        key_longest += longest == [question.correct]
        pick_longest += (question.correct in longest) / len(longest)
        pick_shortest += (question.correct in shortest) / len(shortest)
        for index, option in enumerate(question.options):
            absolute = bool(ABSOLUTE_WORDS.search(option))
            hedged = bool(HEDGE_WORDS.search(option))
            if index == question.correct:
                keys_absolute += absolute
                keys_hedged += hedged
            else:
                wrong_total += 1
                wrong_absolute += absolute
                wrong_hedged += hedged
        keyed = yes_no_key(question)
        if keyed is not None:
            yes_no += 1
            yes_keyed += keyed
    positions = Counter(question.correct for question in questions)
    wrong_total = wrong_total or 1
    return CueStats(
        questions=len(questions),
        key_longest=key_longest / count,
        pick_longest=pick_longest / count,
        pick_shortest=pick_shortest / count,
        absolute_in_keys=keys_absolute / count,
        absolute_in_wrong=wrong_absolute / wrong_total,
        hedge_in_keys=keys_hedged / count,
        hedge_in_wrong=wrong_hedged / wrong_total,
        yes_no=yes_no,
        yes_keyed=yes_keyed,
        top_position_share=max(positions.values(), default=0) / count,
        applied=sum(q.style in APPLIED_STYLES for q in questions) / count,
    )
