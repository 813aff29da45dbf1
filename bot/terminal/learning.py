"""Explainers with pages and sources, quizzes with numbered options, reviews and retries.

The same flows as the Telegram handlers: a typed number stands in for a poll answer, so the
answer is graded, remembered and scheduled for review exactly as one from Telegram.
"""

from __future__ import annotations

from sqlalchemy import Connection

from bot.core import wording
from bot.core.content import Question
from bot.core.learning import explainer_page
from bot.core.quiz_results import (
    AlreadyRunning,
    AnswerOutcome,
    Graded,
    NothingReason,
    NothingToAsk,
    QuestionToSend,
    QuizFinished,
    QuizKind,
    Skipped,
    Started,
)
from bot.core.quizzes import REVIEW_INTERVALS
from bot.flows import quiz as quiz_flow
from bot.flows.learning import mark_read
from bot.terminal.console import GoBack
from bot.terminal.session import Session

NOUNS = {QuizKind.QUIZ: "Quiz", QuizKind.REVIEW: "Review", QuizKind.RETRY: "Retry"}
EXPLAINER_KEYS = {
    "n": "Next",
    "p": "Previous",
    "s": "Sources",
    "z": "Quiz me on this",
    "b": "Back",
}


def learn(session: Session) -> None:
    """Pick a topic, then read its explainer."""
    topics = list(session.content.topics)
    session.console.say("\nPick a topic (b = back):")
    try:
        index = session.console.choose([f"{t.title} — {t.summary}" for t in topics])
    except GoBack:
        return
    read_explainer(session, topics[index].id)


def read_explainer(session: Session, topic_id: str) -> None:
    """Page through; the last page counts the explainer as read, as in Telegram."""
    console = session.console
    index = 0
    while True:
        page = explainer_page(session.content, topic_id, index)
        if page is None:
            console.say("That topic has no explainer yet.")
            return
        console.say(f"\n== {page.explainer.title} ({index + 1}/{page.total}) ==")
        console.say_html(page.body)
        if page.is_last:
            record_read(session, page.explainer.id)
        keys = [
            (key, label)
            for key, label in EXPLAINER_KEYS.items()
            if not (key == "n" and page.is_last) and not (key == "p" and index == 0)
        ]
        answer = console.choose_key(keys)
        if answer == "n":
            index += 1
        elif answer == "p":
            index -= 1
        elif answer == "s":
            console.say(f"\nSources: {page.explainer.title}")
            for source in page.explainer.sources:
                details = ", ".join(p for p in (source.publisher, source.date) if p)
                console.say(f"• {source.title}" + (f" — {details}" if details else ""))
                console.say(f"  {source.url}")
        elif answer == "z":
            quiz(session, topic_id)
            return
        else:
            return


def record_read(session: Session, explainer_id: str) -> None:
    now = session.clock()
    session.run(lambda c: mark_read(c, session.user_id, explainer_id, now))


def quiz(session: Session, topic: str | None = None) -> None:
    now = session.clock()
    started = session.run(
        lambda c: quiz_flow.start_quiz(
            c, session.content, user_id=session.user_id, topic=topic, now=now, rng=session.rng
        )
    )
    play(session, started)


def review(session: Session) -> None:
    now = session.clock()
    started = session.run(
        lambda c: quiz_flow.start_review(
            c, session.content, user_id=session.user_id, now=now, default_zone=session.zone
        )
    )
    play(session, started)


def retry(session: Session, quiz_id: int) -> None:
    """ "Retry my mistakes": the questions just missed, asked again at once."""
    now = session.clock()
    started = session.run(
        lambda c: quiz_flow.start_retry(
            c, session.content, user_id=session.user_id, quiz_id=quiz_id, now=now
        )
    )
    play(session, started)


def play(session: Session, started: Started) -> None:
    if isinstance(started, NothingToAsk):
        session.console.say(nothing_to_ask(started))
        return
    if isinstance(started, AlreadyRunning):  # only within seconds of a start: not here
        session.console.say("A quiz is already running.")
        return
    current: QuestionToSend | QuizFinished = started
    while isinstance(current, QuestionToSend):
        current = ask_question(session, current)
    after_quiz(session, current)


def nothing_to_ask(nothing: NothingToAsk) -> str:
    """The words /review and a stale retry button use."""
    if nothing.reason is NothingReason.NOTHING_TO_RETRY:
        return "There is nothing to retry: that quiz is no longer the latest one."
    if nothing.reason is NothingReason.NO_QUESTIONS:
        return "No questions available."
    if nothing.next_review is None:
        steps = ", ".join(str(step.days) for step in REVIEW_INTERVALS[:-1])
        last = wording.days(REVIEW_INTERVALS[-1].days)
        return (
            "Nothing is scheduled for review yet. "
            f"Questions you miss in a quiz come back after {steps} and {last}."
        )
    when = wording.when(nothing.next_review.at, nothing.next_review.today)
    return f"Nothing to review right now. Your next review is {when}."


def ask_question(session: Session, current: QuestionToSend) -> QuestionToSend | QuizFinished:
    question = current.question
    console = session.console
    console.say(f"\n({current.position + 1}/{current.total}) {question.question}")
    choice = console.choose(list(question.options), "Your answer: ", back=False)
    poll_id = f"terminal-{current.quiz_id}-{current.position}"
    now = session.clock()

    def grade(connection: Connection) -> AnswerOutcome:
        quiz_flow.record_poll(
            connection, poll_id=poll_id, user_id=session.user_id, question=current
        )
        return quiz_flow.answer(
            connection,
            session.content,
            poll_id=poll_id,
            user_id=session.user_id,
            option_ids=[choice],
            now=now,
            default_zone=session.zone,
        )

    outcome = session.run(grade)
    if isinstance(outcome, Skipped):
        return outcome.next
    assert isinstance(outcome, Graded)
    console.say(verdict(question, outcome.correct))
    return outcome.next


def verdict(question: Question, correct: bool) -> str:
    head = "Right!" if correct else f"Not quite — it's “{question.options[question.correct]}”."
    return f"{head} {question.explanation}"


def after_quiz(session: Session, result: QuizFinished) -> None:
    """The summary; with misses, offer to retry them now, while the answers are fresh."""
    console = session.console
    console.say(f"\n{NOUNS[result.kind]} finished: {result.score}/{result.total}")
    if result.missed:
        console.say("To look at again:")
    for missed in result.missed:
        console.say(f"• {missed.question}\n  Answer: {missed.options[missed.correct]}")
    if result.missed:
        console.say(f"They come back for review in {wording.days(REVIEW_INTERVALS[0].days)}.")
    if result.reviews_due:
        console.say(f"{wording.questions_due(result.reviews_due)} for review (More → Review).")
    if not result.missed:
        return
    if console.confirm(f"Retry my mistakes ({wording.questions(len(result.missed))})?"):
        retry(session, result.quiz_id)
