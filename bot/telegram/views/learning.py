"""What the learning loop shows: quiz summaries, /review with nothing due, /progress.

Every count goes through `bot.core.wording`, so plurals are right in each language. Titles and
questions are plain text from the content bank and are escaped here.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup

from bot.core import wording
from bot.core.content import Topic
from bot.core.learning import DeepLink, LinkKind
from bot.core.progress import ProgressSummary, Streak, mastery_bar
from bot.core.quiz_results import NextReview, QuizFinished, QuizKind
from bot.core.quizzes import REVIEW_INTERVALS
from bot.core.telegram_html import escape
from bot.telegram.callbacks import learn, menu, quiz
from bot.telegram.render import button, fit, share_button, within_limit

RETRY_BUTTON = "🔁 Retry my mistakes"
QUIZ_BUTTON = "❓ Take a quiz"
CELEBRATE_FROM = 0.8  # 4/5 and up: a real win
ENCOURAGE_FROM = 0.4  # 2/5 and 3/5: on the way; below that, support comes first

NOUNS = {QuizKind.QUIZ: "Quiz", QuizKind.REVIEW: "Review", QuizKind.RETRY: "Retry"}


# ------------------------------------------------------------------------------ quiz summary
def quiz_summary(result: QuizFinished, bot_username: str) -> tuple[str, InlineKeyboardMarkup]:
    """The result, in a tone that fits the score: no party after a bad quiz.

    Below 40% the offer to retry comes first, in words and as the first button, because the
    best next step after many misses is to see those questions again while the answers are
    fresh.
    """
    share = result.score / result.total if result.total else 0.0
    noun = NOUNS[result.kind]
    score = f"{result.score}/{result.total}"
    if share >= CELEBRATE_FROM:
        head = [f"🎉 <b>{noun} finished: {score}</b>"]
        head.append("All correct — well done!" if not result.missed else "Great work!")
    elif share >= ENCOURAGE_FROM:
        head = [f"👍 <b>{noun} finished: {score}</b>", "Good effort — you’re getting there."]
    else:
        head = [
            f"🌱 <b>{noun} finished: {score}</b>",
            "These were tricky — that’s how learning starts. "
            "Tap “Retry my mistakes” to try them again now, while the answers are fresh.",
        ]
    if result.missed:
        head += ["", "<b>To look at again:</b>"]
    missed = [
        f"• {escape(q.question)}\n  ✅ {escape(q.options[q.correct])}" for q in result.missed
    ]
    tail = []
    if result.missed:
        tail += ["", f"🗓 They come back for review in {wording.days(REVIEW_INTERVALS[0].days)}."]
    if result.reviews_due:
        tail += ["", f"🔁 {wording.questions_due(result.reviews_due)} for review: /review"]
    return within_limit(head, missed, tail), summary_keyboard(result, share, bot_username)


def summary_keyboard(
    result: QuizFinished, share: float, bot_username: str
) -> InlineKeyboardMarkup:
    retry = [button(RETRY_BUTTON, quiz.retry(result.quiz_id))] if result.missed else []
    another = [button("❓ Another quiz", quiz.start(result.topic))]
    rows = [retry, another] if share < ENCOURAGE_FROM else [another, retry]
    topic = result.topic or (result.missed[0].topic if result.missed else None)
    if topic:
        rows.append([button("📚 Read the explainer", learn.open_topic(topic))])
        rows.append(share_button(bot_username, DeepLink(LinkKind.QUIZ, topic)))
    return InlineKeyboardMarkup([r for r in rows if r])


# ------------------------------------------------------------------------- nothing to review
def nothing_to_review(next_review: NextReview | None) -> tuple[str, InlineKeyboardMarkup]:
    """/review with nothing due: when the next one comes, and a quiz to do meanwhile."""
    if next_review is None:
        steps = ", ".join(str(step.days) for step in REVIEW_INTERVALS[:-1])
        last = wording.days(REVIEW_INTERVALS[-1].days)
        text = (
            "Nothing is scheduled for review yet. "
            f"Questions you miss in a quiz come back after {steps} and {last}."
        )
    else:
        when = wording.when(next_review.at, next_review.today)
        text = f"Nothing to review right now. Your next review is {when}."
    keyboard = InlineKeyboardMarkup([[button(QUIZ_BUTTON, quiz.start())]])
    return fit(f"{text}\n\nIn the meantime, a quick quiz?"), keyboard


# ------------------------------------------------------------------------- unknown topic
def unknown_topic(topics: Sequence[Topic]) -> tuple[str, InlineKeyboardMarkup]:
    """/quiz with a topic we do not have: the real topics by title, one button each."""
    titles = ", ".join(escape(t.title) for t in topics)
    rows = [[button(t.title, quiz.start(t.id))] for t in topics]
    rows.append([button("🔀 A mix of everything", quiz.start())])
    text = f"I don’t know that topic — try: {titles}."
    return fit(text), InlineKeyboardMarkup(rows)


# -------------------------------------------------------------------------------- progress
def progress(summary: ProgressSummary) -> tuple[str, InlineKeyboardMarkup | None]:
    """A short welcome for a new user, a compact summary for everyone else."""
    if summary.is_new:
        return new_user_progress()
    lines = ["📈 <b>Your progress</b>", ""]
    if summary.answered:
        accuracy = round(summary.accuracy * 100)
        lines.append(f"✍️ {wording.answers(summary.answered)} · {accuracy}% right")
    else:
        lines.append("✍️ No quiz answers yet — try /quiz.")
    lines.append(f"🔥 {streak_line(summary.streak)}")
    if summary.reviews_due:
        lines.append(f"🔁 {wording.questions_due(summary.reviews_due)} → /review")
    else:
        lines.append("🔁 No reviews due")
    lines.append(
        f"📚 {summary.explainers_read}/{summary.explainers_total} explainers read · "
        f"💡 {summary.tips_seen}/{summary.tips_total} tips seen"
    )
    started = summary.started_topics
    if started:
        lines += ["", "<b>Your topics</b>"]
        lines += [
            f"{mastery_bar(t.fraction)} {escape(t.title)} ({t.mastered}/{t.total})"
            for t in started
        ]
    if summary.untouched_topics:
        lines += ["", f"{wording.topics_not_started(summary.untouched_topics)} — /learn"]
    return fit("\n".join(lines)), None


def streak_line(streak: Streak) -> str:
    if streak.current == 0:
        start = "No streak right now — finish a quiz today to start one."
        return start if not streak.best else f"{start} Best: {wording.days(streak.best)}."
    line = f"Streak: {wording.streak_days(streak.current)}"
    return line if streak.best <= streak.current else f"{line} · best {wording.days(streak.best)}"


def new_user_progress() -> tuple[str, InlineKeyboardMarkup]:
    text = (
        "📈 <b>Your progress</b>\n\n"
        "Nothing here yet — you’re just getting started. "
        "Read a short explainer first, then test yourself with a quiz."
    )
    keyboard = InlineKeyboardMarkup(
        [[button("📚 Learn", menu.LEARN), button("❓ Quiz", quiz.start())]]
    )
    return text, keyboard
