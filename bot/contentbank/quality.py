"""The rules of a bank worth teaching from, beyond what Telegram accepts.

The schema (`schema`) decides whether the bot can send an item; these rules decide whether the bank
teaches fairly: enough material per topic, quiz items that only knowledge can pass, no item said
twice, and none of the claims the fact check could not trace. The bot starts on a bank that breaks
them (an operator's first draft should still run), but `content check` exits 1, so the shipped bank
and an operator's bank get the same verdict. Every number here is listed in the README's
"Writing content".
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Callable, Iterator
from difflib import SequenceMatcher
from itertools import combinations

from bot.contentbank.cues import CueStats, key_length_ratio
from bot.core.content import ContentBank, Question
from bot.core.telegram_html import visible_text

EXPLAINER_PAGES = (2, 4)
OPTIONS_PER_QUESTION = (3, 4)
MIN_QUESTIONS_PER_TOPIC = 12
MIN_TIPS_PER_TOPIC = 10
MAX_SHARE_OF_ONE_POSITION = 0.40
KEY_LENGTH_RATIO = (0.75, 1.33)
"""The key's length over the wrong options' mean length: options alike in length."""
MAX_PICK_LONGEST = 1 / 3
MAX_PICK_SHORTEST = 1 / 3
MAX_ABSOLUTE_GAP = 0.08
"""Absolute words may be at most this much commoner in wrong options than in keys (or back)."""
MIN_YES_KEYED = 1 / 3
"""Yes/no items keyed both ways: each answer keys at least this share (with 3 or more items)."""
MIN_APPLIED = 0.5
"""At least half the questions are scenario or decision questions."""
NEAR_DUPLICATE_RATIO = 0.9
CHECKUP_DAYS = 7
LESSON_CHARS = 900
"""A check-up lesson is read in one sitting: at most this many visible characters."""

# Claims the fact check could not trace (the source post's); they may appear only as a wrong
# option whose explanation says so.
CAR_MODELS = re.compile(r"3[,.\s]?000\+?\s+(?:different\s+)?car\s+models", re.IGNORECASE)
THIRTY_PERCENT = re.compile(r"30\s?%|30\s+per\s?cent", re.IGNORECASE)
DEBUNKED = re.compile(r"could\s+not\s+be\s+(?:traced|verified|found)|unverifi", re.IGNORECASE)
_NEAR = 80  # characters between "30%" and "Bronx" that still count as one claim

_STOP_TEXT = """a an the and or but of to in on at by for with from as is are was were be been
being it its this that these those what which who whom whose how why when where do does did can
could should would will your you yours i me my we our they their them he she his her not no yes if
so than then there about into over under after before more most"""
_STOP_WORDS = frozenset(_STOP_TEXT.split())
_PUNCTUATION = str.maketrans({c: " " for c in string.punctuation + "‘’“”–—…›«»"})

# (kind, item id, field, message); the loader adds file and line.
Problem = tuple[str, str, str | None, str]


def problems(bank: ContentBank, stats: CueStats) -> Iterator[Problem]:
    """Every rule the bank breaks, item by item, then over the whole bank (`stats` is
    `cue_stats(bank.questions)`, computed once by the caller, which reports it too)."""
    yield from _per_topic(bank)
    for question in bank.questions + bank.checkup_questions():
        yield from _per_question(bank, question)
    yield from _checkup(bank)
    yield from _bank_wide(stats)
    every_question = bank.questions + bank.checkup_questions()
    yield from _near_duplicates("question", {q.id: q.question for q in every_question}, "question")
    yield from _near_duplicates("tip", {t.id: t.title for t in bank.tips}, "title")
    yield from _near_duplicates("tip", {t.id: visible_text(t.text) for t in bank.tips}, "text")
    yield from _untraced_claims(bank)


def _per_topic(bank: ContentBank) -> Iterator[Problem]:
    tips = Counter(tip.topic for tip in bank.tips)
    for topic in bank.topics:
        explainer = bank.explainer_for(topic.id)
        low, high = EXPLAINER_PAGES
        if explainer is None:
            yield "topic", topic.id, None, "has no explainer"
        elif not low <= len(explainer.pages) <= high:
            yield (
                "explainer",
                explainer.id,
                "pages",
                f"has {len(explainer.pages)} pages; write {low} to {high}",
            )
        questions = bank.questions_in(topic.id)
        if len(questions) < MIN_QUESTIONS_PER_TOPIC:
            yield (
                "topic",
                topic.id,
                None,
                f"has {len(questions)} questions; a quiz needs at least {MIN_QUESTIONS_PER_TOPIC}",
            )
        if tips[topic.id] < MIN_TIPS_PER_TOPIC:
            yield "topic", topic.id, None, f"has {tips[topic.id]} tips; write {MIN_TIPS_PER_TOPIC}"
        positions = Counter(question.correct for question in questions)
        if questions:
            position, count = positions.most_common(1)[0]
            if count / len(questions) > MAX_SHARE_OF_ONE_POSITION:
                yield (
                    "topic",
                    topic.id,
                    None,
                    f"option {position + 1} is correct in {count} of {len(questions)} questions; "
                    f"at most {MAX_SHARE_OF_ONE_POSITION:.0%} in one position",
                )


def _per_question(bank: ContentBank, question: Question) -> Iterator[Problem]:
    low, high = OPTIONS_PER_QUESTION
    if not low <= len(question.options) <= high:
        yield (
            "question",
            question.id,
            "options",
            f"has {len(question.options)}; write {low}-{high}",
        )
    ratio = key_length_ratio(question)
    if not KEY_LENGTH_RATIO[0] <= ratio <= KEY_LENGTH_RATIO[1]:
        yield (
            "question",
            question.id,
            "options",
            f"the correct option is {ratio:.2f}x as long as the wrong ones on average; keep it "
            f"within {KEY_LENGTH_RATIO[0]}-{KEY_LENGTH_RATIO[1]}x so length gives nothing away",
        )
    for other in question.excludes:
        if bank.question(other) is None or other == question.id:
            yield "question", question.id, "excludes", f"{other!r} is not another question"


def _checkup(bank: ContentBank) -> Iterator[Problem]:
    """A week-long course of short lessons; every action says when its menus must be rechecked."""
    if not bank.checkup:
        return
    if len(bank.checkup) != CHECKUP_DAYS:
        last = bank.checkup[-1]
        message = f"the check-up has {len(bank.checkup)} days; write {CHECKUP_DAYS}"
        yield "day", last.id, "day", message
    for day in bank.checkup:
        length = len(visible_text(day.lesson))
        if length > LESSON_CHARS:
            message = f"is {length} characters; keep a lesson within {LESSON_CHARS}"
            yield "day", day.id, "lesson", message
        for action in day.actions:
            if action.freshness.review_by is None:
                message = "settings and menus change: say when to check this again"
                yield "action", action.id, "review_by", message
    yield from _near_duplicates("day", {d.id: d.title for d in bank.checkup}, "title")


def _bank_wide(stats: CueStats) -> Iterator[Problem]:
    if not stats.questions:
        return
    if stats.pick_longest > MAX_PICK_LONGEST:
        yield (
            "bank",
            "questions",
            None,
            f'"always pick the longest option" scores {stats.pick_longest:.0%}; '
            f"at most {MAX_PICK_LONGEST:.0%}",
        )
    if stats.pick_shortest > MAX_PICK_SHORTEST:
        yield (
            "bank",
            "questions",
            None,
            f'"always pick the shortest option" scores {stats.pick_shortest:.0%}; '
            f"at most {MAX_PICK_SHORTEST:.0%}",
        )
    if abs(stats.absolute_gap) > MAX_ABSOLUTE_GAP:
        yield (
            "bank",
            "questions",
            None,
            f"absolute words (always, never, only, all…) are in "
            f"{stats.absolute_in_wrong:.0%} of wrong options but {stats.absolute_in_keys:.0%} of "
            f"keys; keep the gap within {MAX_ABSOLUTE_GAP:.0%}",
        )
    if stats.yes_no >= 3:
        yes_share = stats.yes_keyed / stats.yes_no
        if min(yes_share, 1 - yes_share) < MIN_YES_KEYED:
            yield (
                "bank",
                "questions",
                None,
                f"{stats.yes_keyed} of {stats.yes_no} yes/no items are keyed yes; key both ways, "
                f"each at least {MIN_YES_KEYED:.0%}",
            )
    if stats.applied < MIN_APPLIED:
        yield (
            "bank",
            "questions",
            None,
            f"{stats.applied:.0%} of questions are scenario or decision questions; "
            f"at least {MIN_APPLIED:.0%}",
        )


def normalise(text: str) -> tuple[str, ...]:
    """Casefolded words without punctuation or stop words, for comparing wording."""
    words = text.casefold().translate(_PUNCTUATION).split()
    return tuple(word for word in words if word not in _STOP_WORDS)


def near_duplicates(texts: dict[str, str]) -> Iterator[tuple[str, str]]:
    """Pairs of ids whose normalised texts are the same words or at least 90% alike."""
    normalised = {key: normalise(text) for key, text in texts.items()}
    for (id_a, words_a), (id_b, words_b) in combinations(normalised.items(), 2):
        if not words_a or not words_b:
            continue
        if set(words_a) == set(words_b):
            yield id_a, id_b
            continue
        matcher = SequenceMatcher(None, " ".join(words_a), " ".join(words_b))
        if (
            matcher.real_quick_ratio() >= NEAR_DUPLICATE_RATIO
            and matcher.ratio() >= NEAR_DUPLICATE_RATIO
        ):
            yield id_a, id_b


def _near_duplicates(kind: str, texts: dict[str, str], field: str) -> Iterator[Problem]:
    for first, second in near_duplicates(texts):
        yield kind, second, field, f"says nearly the same as {kind} {first}"


def mentions_thirty_percent_in_bronx(text: str) -> bool:
    for match in THIRTY_PERCENT.finditer(text):
        window = text[max(0, match.start() - _NEAR) : match.end() + _NEAR]
        if "bronx" in window.casefold():
            return True
    return False


def _untraced_claims(bank: ContentBank) -> Iterator[Problem]:
    checks: tuple[tuple[Callable[[str], object], str], ...] = (
        (CAR_MODELS.search, "repeats the untraced '3,000 car models' claim"),
        (mentions_thirty_percent_in_bronx, "repeats the untraced '30% less crime in the Bronx'"),
    )
    for kind, item_id, field, text in text_fields(bank):
        for matches, message in checks:
            if matches(text) and not _debunked(bank, item_id, field):
                yield kind, item_id, field, message + " as fact"


def _debunked(bank: ContentBank, item_id: str, field: str) -> bool:
    """A claim is allowed as a wrong option, or in the explanation that says it is untraced."""
    question = bank.question(item_id)
    if question is None or not DEBUNKED.search(question.explanation):
        return False
    if field == "explanation":
        return True
    return field.startswith("options.") and int(field.split(".")[1]) != question.correct


def text_fields(bank: ContentBank) -> Iterator[tuple[str, str, str, str]]:
    """(kind, item id, field, visible text) for every piece of text a reader can see."""
    for topic in bank.topics:
        yield "topic", topic.id, "title", topic.title
        yield "topic", topic.id, "summary", topic.summary
    for explainer in bank.explainers:
        yield "explainer", explainer.id, "title", explainer.title
        yield "explainer", explainer.id, "summary", explainer.summary
        for number, page in enumerate(explainer.pages):
            yield "explainer", explainer.id, f"pages.{number}", visible_text(page)
        yield "explainer", explainer.id, "what_you_can_do", visible_text(explainer.what_you_can_do)
    for question in bank.questions + bank.checkup_questions():
        yield "question", question.id, "question", question.question
        for number, option in enumerate(question.options):
            yield "question", question.id, f"options.{number}", option
        yield "question", question.id, "explanation", question.explanation
    for tip in bank.tips:
        yield "tip", tip.id, "title", tip.title
        yield "tip", tip.id, "text", visible_text(tip.text)
    for day in bank.checkup:
        yield "day", day.id, "title", day.title
        yield "day", day.id, "lesson", visible_text(day.lesson)
        for action in day.actions:
            yield "action", action.id, "title", action.title
            yield "action", action.id, "text", visible_text(action.text)
