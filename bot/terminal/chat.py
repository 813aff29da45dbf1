"""`python -m bot chat`: menus as numbered choices, quizzes as numbered options.

It drives the same core as the Telegram handlers and stores progress in the same database, so
a content author can walk through every explainer and quiz before publishing, and anyone can
try the bot without a token. Input and output are injectable for tests.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection

from bot.config import Settings
from bot.core import wording
from bot.core.content import ContentBank
from bot.core.learning import explainer_page
from bot.core.progress import ProgressSummary, mastery_bar
from bot.core.quiz_results import (
    AlreadyRunning,
    AnswerOutcome,
    Graded,
    NothingReason,
    NothingToAsk,
    QuestionToSend,
    QuizFinished,
    Started,
)
from bot.core.telegram_html import visible_text
from bot.flows import quiz as quiz_flow
from bot.flows.learning import mark_read, welcome_back
from bot.flows.progress import progress_of
from bot.flows.tips import next_tip_for
from bot.storage.database import Database

# Telegram user ids are positive; 0 is never one, so terminal progress never mixes with a user's.
TERMINAL_USER_ID = 0


class EndOfInput(Exception):
    """The person closed the input (Ctrl-D) or typed "q" at the main menu."""


@dataclass
class TerminalChat:
    content: ContentBank
    database: Database
    settings: Settings
    read: Callable[[str], str] = input
    write: Callable[[str], None] = print
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    rng: random.Random = field(default_factory=random.Random)
    user_id: int = TERMINAL_USER_ID

    def converse(self) -> None:
        """The main menu loop; returns when the person quits."""
        self.write("Privacy-awareness bot — terminal mode. Type a number, or q to quit.")
        self.database.run_sync(lambda s: welcome_back(s, self.user_id, self.clock()))
        actions: dict[str, Callable[[], None]] = {
            "1": self.learn,
            "2": lambda: self.quiz(None),
            "3": self.review,
            "4": self.tip,
            "5": self.progress,
        }
        while True:
            self.write("\n1) Learn  2) Quiz  3) Review  4) Tip  5) My progress  q) Quit")
            try:
                choice = self.ask("> ")
            except EndOfInput:
                return
            action = actions.get(choice)
            if action is None:
                self.write("Please type 1-5, or q.")
                continue
            try:
                action()
            except EndOfInput:
                return

    def ask(self, prompt: str) -> str:
        try:
            answer = self.read(prompt).strip().lower()
        except EOFError:
            raise EndOfInput from None
        if answer == "q":
            raise EndOfInput
        return answer

    def choose(self, labels: list[str], prompt: str = "> ") -> int | None:
        """Numbered choice; None for "b" (back) or anything that is not a listed number."""
        for number, label in enumerate(labels, start=1):
            self.write(f"{number}) {label}")
        answer = self.ask(prompt)
        if answer.isdigit() and 1 <= int(answer) <= len(labels):
            return int(answer) - 1
        return None

    # ------------------------------------------------------------------------------- learn

    def learn(self) -> None:
        topics = list(self.content.topics)
        self.write("\nTopics (b = back):")
        index = self.choose([f"{t.title} — {t.summary}" for t in topics])
        if index is not None:
            self.read_explainer(topics[index].id)

    def read_explainer(self, topic_id: str) -> None:
        index = 0
        while True:
            page = explainer_page(self.content, topic_id, index)
            if page is None:
                self.write("That topic has no explainer yet.")
                return
            self.write(f"\n== {page.explainer.title} ({index + 1}/{page.total}) ==")
            self.write(visible_text(page.body))
            if page.is_last:
                self.mark_read(page.explainer.id)
            self.write("\nn) Next  p) Previous  s) Sources  z) Quiz me on this  b) Back")
            answer = self.ask("> ")
            if answer == "n" and not page.is_last:
                index += 1
            elif answer == "p" and index > 0:
                index -= 1
            elif answer == "s":
                for source in page.explainer.sources:
                    details = ", ".join(p for p in (source.publisher, source.date) if p)
                    self.write(f"• {source.title} ({details}) {source.url}")
            elif answer == "z":
                self.quiz(topic_id)
                return
            elif answer == "b":
                return

    def mark_read(self, explainer_id: str) -> None:
        now = self.clock()
        self.database.run_sync(lambda s: mark_read(s, self.user_id, explainer_id, now))

    # -------------------------------------------------------------------------------- quiz

    def quiz(self, topic: str | None) -> None:
        now = self.clock()
        started = self.database.run_sync(
            lambda s: quiz_flow.start_quiz(
                s, self.content, user_id=self.user_id, topic=topic, now=now, rng=self.rng
            )
        )
        self.play(started)

    def review(self) -> None:
        now = self.clock()
        started = self.database.run_sync(
            lambda s: quiz_flow.start_review(
                s,
                self.content,
                user_id=self.user_id,
                now=now,
                default_zone=self.settings.timezone,
            )
        )
        self.play(started)

    def play(self, started: Started) -> None:
        if isinstance(started, NothingToAsk):
            self.write(
                "Nothing to review right now."
                if started.reason is NothingReason.NO_REVIEWS
                else "No questions available."
            )
            return
        if isinstance(started, AlreadyRunning):
            self.write("A quiz is already running.")
            return
        current: QuestionToSend | QuizFinished = started
        while isinstance(current, QuestionToSend):
            current = self.ask_question(current)
        self.show_result(current)

    def ask_question(self, current: QuestionToSend) -> QuestionToSend | QuizFinished:
        question = current.question
        self.write(f"\n({current.position + 1}/{current.total}) {question.question}")
        choice = None
        while choice is None:
            choice = self.choose(list(question.options), "Your answer: ")
        poll_id = f"terminal-{current.quiz_id}-{current.position}"
        now = self.clock()

        def grade(connection: Connection) -> AnswerOutcome:
            quiz_flow.record_poll(
                connection, poll_id=poll_id, user_id=self.user_id, question=current
            )
            return quiz_flow.answer(
                connection,
                self.content,
                poll_id=poll_id,
                user_id=self.user_id,
                option_ids=[choice],
                now=now,
                default_zone=self.settings.timezone,
            )

        outcome = self.database.run_sync(grade)
        assert isinstance(outcome, Graded)
        verdict = (
            "✅ Right!"
            if outcome.correct
            else (f"❌ Not quite — it's “{question.options[question.correct]}”.")
        )
        self.write(f"{verdict} {question.explanation}")
        return outcome.next

    def show_result(self, result: QuizFinished) -> None:
        self.write(f"\nFinished: {result.score}/{result.total}")
        for missed in result.missed:
            self.write(f"• {missed.question}\n  ✅ {missed.options[missed.correct]}")
        if result.reviews_due:
            self.write(f"{wording.questions_due(result.reviews_due)} for review (menu 3).")

    # ------------------------------------------------------------------------- tips, progress

    def tip(self) -> None:
        now = self.clock()

        found = self.database.run_sync(lambda s: next_tip_for(s, self.content, self.user_id, now))
        if found is None:
            self.write("No tips in the content bank yet.")
            return
        chosen = found.tip
        self.write(f"\n💡 {chosen.title}\n{visible_text(chosen.text)}")
        if chosen.sources:
            self.write(f"Source: {chosen.sources[0].title} {chosen.sources[0].url}")

    def progress(self) -> None:
        now = self.clock()
        summary = self.database.run_sync(
            lambda s: progress_of(
                s,
                self.content,
                user_id=self.user_id,
                now=now,
                default_zone=self.settings.timezone,
            )
        )
        self.write(render_progress(summary))


def render_progress(summary: ProgressSummary) -> str:
    lines = [
        f"\nAnswered: {summary.answered}, accuracy {round(summary.accuracy * 100)}%",
        f"Explainers read: {summary.explainers_read}/{summary.explainers_total}",
        f"Tips seen: {summary.tips_seen}/{summary.tips_total}",
        f"Streak: {wording.days(summary.streak.current)}, best {summary.streak.best}",
        f"Reviews due: {summary.reviews_due}",
    ]
    lines += [
        f"  {mastery_bar(t.fraction)} {t.title} ({t.mastered}/{t.total})" for t in summary.topics
    ]
    return "\n".join(lines)
