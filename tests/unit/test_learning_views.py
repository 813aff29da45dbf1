"""Quiz summaries, /review with nothing due and /progress: tone, brevity, limits, valid HTML."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.contentbank.limits import MESSAGE_MAX
from bot.core.content import ContentBank
from bot.core.progress import ProgressSummary, Streak, mastery
from bot.core.quiz_results import NextReview, QuizFinished, QuizKind
from bot.core.records import Memory
from bot.core.telegram_html import parse
from bot.telegram.callbacks import quiz
from bot.telegram.views import learning


def finished(bank: ContentBank, score: int, total: int = 5) -> QuizFinished:
    missed = tuple(bank.questions_in("cctv")[: total - score])
    return QuizFinished(1, QuizKind.QUIZ, "cctv", score, total, missed, reviews_due=0)


def button_texts(keyboard) -> list[str]:
    return [b.text for row in keyboard.inline_keyboard for b in row]


@pytest.mark.parametrize("score", [0, 1, 2, 3])
def test_no_party_after_a_bad_or_middling_score(content_bank: ContentBank, score: int) -> None:
    text, _ = learning.quiz_summary(finished(content_bank, score), "Bot")
    assert "🎉" not in text
    assert "well done" not in text.lower()


def test_a_low_score_offers_the_retry_first(content_bank: ContentBank) -> None:
    text, keyboard = learning.quiz_summary(finished(content_bank, 1), "Bot")
    assert button_texts(keyboard)[0] == learning.RETRY_BUTTON
    assert text.index("Retry my mistakes") < text.index("To look at again")
    assert keyboard.inline_keyboard[0][0].callback_data == quiz.retry(1)


def test_a_middling_score_encourages_and_still_offers_the_retry(
    content_bank: ContentBank,
) -> None:
    text, keyboard = learning.quiz_summary(finished(content_bank, 3), "Bot")
    assert "Good effort" in text
    assert button_texts(keyboard)[:2] == ["❓ Another quiz", learning.RETRY_BUTTON]
    assert "They come back for review in 1 day." in text


def test_a_high_score_celebrates(content_bank: ContentBank) -> None:
    perfect, keyboard = learning.quiz_summary(finished(content_bank, 5), "Bot")
    assert perfect.startswith("🎉")
    assert "All correct" in perfect
    assert learning.RETRY_BUTTON not in button_texts(keyboard)
    assert learning.quiz_summary(finished(content_bank, 4), "Bot")[0].startswith("🎉")


def test_summary_counts_reviews_due_with_real_plurals(content_bank: ContentBank) -> None:
    one = QuizFinished(1, QuizKind.REVIEW, None, 1, 1, (), reviews_due=1)
    assert "1 question due for review" in learning.quiz_summary(one, "Bot")[0]
    many = QuizFinished(1, QuizKind.REVIEW, None, 1, 1, (), reviews_due=4)
    assert "4 questions due for review" in learning.quiz_summary(many, "Bot")[0]


def test_nothing_to_review_says_when_and_offers_a_quiz() -> None:
    at = datetime(2026, 3, 11, 9, 15, tzinfo=UTC)
    text, keyboard = learning.nothing_to_review(NextReview(at, date(2026, 3, 10)))
    assert "Your next review is tomorrow at 09:15." in text
    assert "🎉" not in text
    assert keyboard.inline_keyboard[0][0].callback_data == quiz.start()
    never, _ = learning.nothing_to_review(None)
    assert "Nothing is scheduled for review yet" in never
    assert "1, 3 and 7 days" in never


def summary(bank: ContentBank, memory: list[Memory], **extra: object) -> ProgressSummary:
    values: dict[str, object] = {
        "answered": sum(m.answered for m in memory),
        "correct": sum(m.correct for m in memory),
        "topics": mastery(bank, memory),
        "explainers_read": 0,
        "explainers_total": len(bank.explainers),
        "tips_seen": 0,
        "tips_total": len(bank.tips),
        "streak": Streak(0, 0),
        "reviews_due": 0,
    }
    values.update(extra)
    return ProgressSummary(**values)  # type: ignore[arg-type]


def test_a_new_users_progress_is_a_short_welcome(content_bank: ContentBank) -> None:
    text, keyboard = learning.progress(summary(content_bank, []))
    assert len(text.splitlines()) <= 3
    assert "▓" not in text
    assert "░" not in text
    assert keyboard is not None
    assert {"📚 Learn", "❓ Quiz"} <= set(button_texts(keyboard))


def test_an_active_users_progress_shows_only_started_topics(content_bank: ContentBank) -> None:
    cctv = content_bank.questions_in("cctv")
    memory = [Memory(cctv[0].id, 2, 1, True, None, None), Memory(cctv[1].id, 1, 0, False, 0, None)]
    text, _ = learning.progress(summary(content_bank, memory, streak=Streak(2, 3), reviews_due=1))
    assert "3 answers · 33% right" in text
    assert "Streak: 2 days in a row · best 3 days" in text
    assert "1 question due → /review" in text
    assert "CCTV everywhere (1/" in text
    others = [t for t in content_bank.topics if t.id != "cctv"]
    assert all(t.title not in text for t in others)
    assert f"{len(others)} topics not started yet — /learn" in text
    assert parse(text).length <= MESSAGE_MAX
