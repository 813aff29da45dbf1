"""The content bank we ship: shape, no repeats, well-formed sources, no unverified claims as fact.

These run over `content/` itself (the session `content_bank` fixture), so a writer who adds a
fourth page over the limit, repeats a tip, or brings back a claim the fact check could not trace
sees a failing test that names the item.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Iterator
from difflib import SequenceMatcher
from itertools import combinations
from urllib.parse import urlparse

import pytest

from bot.core.content import ContentBank, Question, Source
from bot.core.telegram_html import parse, utf16_length, visible_text

TOPICS = (
    "cctv",
    "face-recognition",
    "china-networks",
    "social-credit",
    "video-analytics",
    "clearview",
    "body-cameras",
    "borders",
    "rights",
    "self-defence",
)
PAGE_LIMIT = 900
MIN_QUESTIONS_PER_TOPIC = 12
MAX_SHARE_OF_ONE_POSITION = 0.40
MIN_TIPS_TOTAL = 90
MIN_TIPS_PER_TOPIC = 10
EXPLANATION_LIMIT = 200
NEAR_DUPLICATE_RATIO = 0.9

_STOP_WORDS = """a an the and or but of to in on at by for with from as is are was were be been
being
it its this that these those what which who whom whose how why when where do does did can could
should would will your you yours i me my we our they their them he she his her not no yes if so
than then there about into over under after before more most"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
_PUNCTUATION = str.maketrans({c: " " for c in string.punctuation + "‘’“”–—…›«»"})

# Claims the fact sheet marks UNVERIFIABLE.
CAR_MODELS = re.compile(r"3[,.\s]?000\+?\s+(?:different\s+)?car\s+models", re.IGNORECASE)
THIRTY_PERCENT = re.compile(r"30\s?%|30\s+per\s?cent", re.IGNORECASE)
DEBUNKED = re.compile(r"could\s+not\s+be\s+(?:traced|verified|found)|unverifi", re.IGNORECASE)
NEAR = 80  # characters between "30%" and "Bronx" that still count as one claim


def normalise(text: str) -> tuple[str, ...]:
    """Casefolded words without punctuation or stop words, for comparing wording."""
    words = text.casefold().translate(_PUNCTUATION).split()
    return tuple(word for word in words if word not in STOP_WORDS)


def near_duplicates(texts: dict[str, str]) -> list[tuple[str, str]]:
    """Pairs of ids whose normalised texts are identical as word sets or ≥90% alike."""
    normalised = {key: normalise(text) for key, text in texts.items()}
    found = []
    for (id_a, words_a), (id_b, words_b) in combinations(normalised.items(), 2):
        if not words_a or not words_b:
            continue
        if set(words_a) == set(words_b):
            found.append((id_a, id_b))
            continue
        matcher = SequenceMatcher(None, " ".join(words_a), " ".join(words_b))
        if matcher.real_quick_ratio() >= NEAR_DUPLICATE_RATIO and (
            matcher.ratio() >= NEAR_DUPLICATE_RATIO
        ):
            found.append((id_a, id_b))
    return found


def all_sources(bank: ContentBank) -> Iterator[tuple[str, Source]]:
    for explainer in bank.explainers:
        for source in explainer.sources:
            yield explainer.id, source
    for question in bank.questions:
        for source in question.sources:
            yield question.id, source
    for tip in bank.tips:
        for source in tip.sources:
            yield tip.id, source


def text_fields(bank: ContentBank) -> Iterator[tuple[str, str, str]]:
    """(item id, field, visible text) for every piece of text a reader can see."""
    for topic in bank.topics:
        yield topic.id, "title", topic.title
        yield topic.id, "summary", topic.summary
    for explainer in bank.explainers:
        yield explainer.id, "title", explainer.title
        yield explainer.id, "summary", explainer.summary
        for number, page in enumerate(explainer.pages):
            yield explainer.id, f"pages.{number}", visible_text(page)
        yield explainer.id, "what_you_can_do", visible_text(explainer.what_you_can_do)
    for question in bank.questions:
        yield question.id, "question", question.question
        for number, option in enumerate(question.options):
            yield question.id, f"options.{number}", option
        yield question.id, "explanation", question.explanation
    for tip in bank.tips:
        yield tip.id, "title", tip.title
        yield tip.id, "text", visible_text(tip.text)


def mentions_thirty_percent_in_bronx(text: str) -> bool:
    for match in THIRTY_PERCENT.finditer(text):
        window = text[max(0, match.start() - NEAR) : match.end() + NEAR]
        if "bronx" in window.casefold():
            return True
    return False


def questions_of(bank: ContentBank, topic: str) -> tuple[Question, ...]:
    return bank.questions_in(topic)


# --- the checkers themselves must be able to fail --------------------------------------------


def test_near_duplicate_checker_catches_rewording_and_reordering() -> None:
    texts = {
        "a": "Where is most footage from Axon police body cameras stored?",
        "b": "Where's most of the footage from Axon police body-cameras stored?",
        "c": "Stored where: most footage from Axon police body cameras?",
        "d": "Which US agency challenged Axon's purchase of Vievu?",
    }
    pairs = near_duplicates(texts)
    assert ("a", "b") in pairs
    assert ("a", "c") in pairs
    assert not [pair for pair in pairs if "d" in pair]


def test_unverified_claim_patterns_match_the_wordings_of_the_source_post() -> None:
    assert CAR_MODELS.search("identify more than 3000 different car models and brands")
    assert CAR_MODELS.search("recognises 3,000 car models")
    assert mentions_thirty_percent_in_bronx("a 30% drop in crime in neighborhoods like the Bronx")
    assert not mentions_thirty_percent_in_bronx("a 35% drop in crime in public housing")


# --- topics and explainers --------------------------------------------------------------------


@pytest.mark.parametrize("topic", TOPICS)
def test_topic_has_an_explainer_of_two_to_four_phone_sized_pages(
    content_bank: ContentBank, topic: str
) -> None:
    assert content_bank.topic(topic) is not None, f"topic {topic} is missing"
    explainer = content_bank.explainer_for(topic)
    assert explainer is not None, f"topic {topic} has no explainer"
    assert 2 <= len(explainer.pages) <= 4, f"{explainer.id} has {len(explainer.pages)} pages"
    for number, page in enumerate(explainer.pages):
        length = parse(page).length
        assert length <= PAGE_LIMIT, f"{explainer.id} page {number + 1}: {length} characters"
    assert explainer.summary.strip()
    assert visible_text(explainer.what_you_can_do).strip()


# --- questions --------------------------------------------------------------------------------


@pytest.mark.parametrize("topic", TOPICS)
def test_topic_has_enough_questions_with_three_or_four_options(
    content_bank: ContentBank, topic: str
) -> None:
    questions = questions_of(content_bank, topic)
    assert len(questions) >= MIN_QUESTIONS_PER_TOPIC, f"{topic}: {len(questions)} questions"
    for question in questions:
        assert 3 <= len(question.options) <= 4, f"{question.id}: {len(question.options)} options"
        assert 0 <= question.correct < len(question.options), question.id


@pytest.mark.parametrize("topic", TOPICS)
def test_correct_answer_position_varies(content_bank: ContentBank, topic: str) -> None:
    questions = questions_of(content_bank, topic)
    positions = Counter(question.correct for question in questions)
    position, count = positions.most_common(1)[0]
    share = count / len(questions)
    assert share <= MAX_SHARE_OF_ONE_POSITION, (
        f"{topic}: option {position + 1} is correct in {count} of {len(questions)} questions"
    )


def test_no_two_questions_ask_the_same_thing(content_bank: ContentBank) -> None:
    texts = {question.id: question.question for question in content_bank.questions}
    assert near_duplicates(texts) == []


def test_explanations_fit_telegram_quiz_limits(content_bank: ContentBank) -> None:
    for question in content_bank.questions:
        length = utf16_length(question.explanation)
        assert length <= EXPLANATION_LIMIT, f"{question.id}: explanation is {length} units"
        assert question.explanation.count("\n") <= 2, f"{question.id}: too many line feeds"


# --- tips -------------------------------------------------------------------------------------


def test_enough_tips_in_total_and_in_every_topic(content_bank: ContentBank) -> None:
    assert len(content_bank.tips) >= MIN_TIPS_TOTAL
    per_topic = Counter(tip.topic for tip in content_bank.tips)
    for topic in TOPICS:
        assert per_topic[topic] >= MIN_TIPS_PER_TOPIC, f"{topic}: {per_topic[topic]} tips"


def test_no_two_tips_have_the_same_title(content_bank: ContentBank) -> None:
    texts = {tip.id: tip.title for tip in content_bank.tips}
    assert near_duplicates(texts) == []


def test_no_two_tips_give_the_same_text(content_bank: ContentBank) -> None:
    texts = {tip.id: visible_text(tip.text) for tip in content_bank.tips}
    assert near_duplicates(texts) == []


# --- sources ----------------------------------------------------------------------------------


def test_every_item_has_a_source(content_bank: ContentBank) -> None:
    unsourced = [e.id for e in content_bank.explainers if not e.sources]
    unsourced += [q.id for q in content_bank.questions if not q.sources]
    unsourced += [t.id for t in content_bank.tips if not t.sources]
    assert unsourced == []


def test_every_source_url_is_well_formed(content_bank: ContentBank) -> None:
    for item_id, source in all_sources(content_bank):
        url = source.url
        assert not re.search(r"\s", url), f"{item_id}: whitespace in {url!r}"
        parsed = urlparse(url)
        assert parsed.scheme in ("http", "https"), f"{item_id}: {url!r}"
        host = parsed.hostname or ""
        assert "." in host, f"{item_id}: no host in {url!r}"
        assert all(label for label in host.split(".")), f"{item_id}: bad host in {url!r}"
        assert source.title.strip(), f"{item_id}: source without a title ({url})"


# --- claims the fact check could not verify ---------------------------------------------------


def test_sensetime_car_model_count_appears_nowhere(content_bank: ContentBank) -> None:
    hits = [
        f"{item_id} {field}"
        for item_id, field, text in text_fields(content_bank)
        if CAR_MODELS.search(text)
    ]
    assert hits == []


def test_bronx_thirty_percent_only_as_a_debunked_wrong_option(content_bank: ContentBank) -> None:
    by_id = {question.id: question for question in content_bank.questions}
    stated_as_fact = []
    for item_id, field, text in text_fields(content_bank):
        if not mentions_thirty_percent_in_bronx(text):
            continue
        question = by_id.get(item_id)
        if question is not None and DEBUNKED.search(question.explanation):
            if field == "explanation":
                continue  # the explanation that says it could not be traced
            if field.startswith("options.") and int(field.split(".")[1]) != question.correct:
                continue  # a wrong option, debunked by its explanation
        stated_as_fact.append(f"{item_id} {field}")
    assert stated_as_fact == []
