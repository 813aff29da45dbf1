"""My progress: the facts /progress shows, the progress card as a PNG file, the checklist.

The card is drawn by `bot/images/card.py`, the one renderer Telegram sends too. It
needs Pillow and the core only (no python-telegram-bot), which is why the terminal may use it
although it sits under bot/telegram.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection

from bot.core import wording
from bot.core.checkup import CheckupProgress
from bot.core.progress import ProgressSummary, Streak, mastery_bar
from bot.flows.card import card_of
from bot.flows.checkup import checkup_progress
from bot.flows.progress import progress_of
from bot.images.card import render_card
from bot.terminal.checkup import checklist
from bot.terminal.session import Session

CARD_FILENAME = "progress-card.png"
NEW_USER = (
    "Nothing here yet — you’re just getting started. "
    "Read a short explainer first, then test yourself with a quiz."
)


def progress(session: Session) -> None:
    now = session.clock()

    def read(c: Connection) -> tuple[ProgressSummary, CheckupProgress | None]:
        summary = progress_of(
            c, session.content, user_id=session.user_id, now=now, default_zone=session.zone
        )
        return summary, checkup_progress(c, session.content, session.user_id)

    summary, course = session.run(read)
    session.console.say(progress_text(summary, course))
    options = [("c", "Save my progress card (PNG)"), ("l", "My checklist"), ("b", "Back")]
    while True:
        key = session.console.choose_key(options)
        if key == "c":
            path = save_card(session)
            session.console.say(f"Saved your progress card to {path}")
        elif key == "l":
            checklist(session)
        else:
            return


def progress_text(summary: ProgressSummary, course: CheckupProgress | None) -> str:
    """The lines /progress sends, in the same order, as plain text."""
    lines = ["\nYour progress", ""]
    if summary.is_new:
        lines.append(NEW_USER)
    else:
        lines += summary_lines(summary)
    if course is not None:
        lines += ["", checkup_line(course)]
    return "\n".join(lines)


def summary_lines(summary: ProgressSummary) -> list[str]:
    if summary.answered:
        accuracy = round(summary.accuracy * 100)
        lines = [f"{wording.answers(summary.answered)} · {accuracy}% right"]
    else:
        lines = ["No quiz answers yet — try Quiz."]
    lines.append(streak_line(summary.streak))
    if summary.reviews_due:
        lines.append(f"{wording.questions_due(summary.reviews_due)} → More → Review")
    else:
        lines.append("No reviews due")
    lines.append(
        f"{summary.explainers_read}/{summary.explainers_total} explainers read · "
        f"{summary.tips_seen}/{summary.tips_total} tips seen"
    )
    if summary.started_topics:
        lines += ["", "Your topics"]
        lines += [
            f"{mastery_bar(t.fraction)} {t.title} ({t.mastered}/{t.total})"
            for t in summary.started_topics
        ]
    if summary.untouched_topics:
        lines += ["", f"{wording.topics_not_started(summary.untouched_topics)} — Learn"]
    return lines


def streak_line(streak: Streak) -> str:
    if streak.current == 0:
        start = "No streak right now — finish a quiz today to start one."
        return start if not streak.best else f"{start} Best: {wording.days(streak.best)}."
    line = f"Streak: {wording.streak_days(streak.current)}"
    return line if streak.best <= streak.current else f"{line} · best {wording.days(streak.best)}"


def checkup_line(course: CheckupProgress) -> str:
    if course.finished:
        return f"Check-up: finished · steps done {course.actions_done}"
    return f"Check-up: day {course.day} of {course.total} · steps done {course.actions_done}"


def save_card(session: Session) -> Path:
    """Draw the card from the same facts and write it next to where the chat runs."""
    now = session.clock()
    facts = session.run(
        lambda c: card_of(
            c, session.content, user_id=session.user_id, now=now, default_zone=session.zone
        )
    )
    path = session.output_dir / CARD_FILENAME
    path.write_bytes(render_card(facts))
    return path
