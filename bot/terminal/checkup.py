"""The 7-day check-up: the device once, then each day's lesson, step and two questions.

In Telegram the two questions are quiz polls that Telegram grades itself, so nothing about the
answers is stored; here they are numbered options with the explanation, stored nowhere either.
"""

from __future__ import annotations

from bot.core.actions import ActionRef, ActionStatus, Checklist, ChecklistEntry
from bot.core.checkup import CHOOSABLE_PLATFORMS, PLATFORM_NAMES, CheckupFinished, DayView
from bot.core.content import Platform, Question
from bot.flows import actions as action_flows
from bot.flows import checkup as flows
from bot.terminal.actions import ACTION_KEYS, STATUS_WORDS, action_options, answer_action
from bot.terminal.console import GoBack
from bot.terminal.learning import verdict
from bot.terminal.session import Session

NO_COURSE = "The check-up is not available yet. Try Tip for something to do today."
ASK_PLATFORM = (
    "A 7-day privacy check-up: one short lesson and one thing to do each day.\n"
    "Which device should the steps be for? (b = back)"
)

Shown = DayView | CheckupFinished | None


def checkup(session: Session) -> None:
    """The open day (after any pause), or the device question the first time."""
    if not session.content.checkup:
        session.console.say(NO_COURSE)
        return
    shown: Shown = session.run(lambda c: flows.current(c, session.content, session.user_id))
    try:
        while True:
            if shown is None:
                shown = choose_platform(session)
            elif isinstance(shown, CheckupFinished):
                finished(session, shown)
                return
            else:
                shown = day(session, shown)
    except GoBack:
        return


def ask_platform(session: Session, question: str = ASK_PLATFORM) -> Platform:
    session.console.say(f"\n{question}")
    index = session.console.choose([PLATFORM_NAMES[p] for p in CHOOSABLE_PLATFORMS])
    return CHOOSABLE_PLATFORMS[index]


def choose_platform(session: Session) -> Shown:
    platform = ask_platform(session)
    now = session.clock()
    return session.run(
        lambda c: flows.choose_platform(
            c, session.content, session.user_id, platform, now, session.zone
        )
    )


def day(session: Session, view: DayView) -> Shown:
    """Show the day and its questions, then its keys until one moves on or goes back."""
    show_day(session, view)
    for question in view.day.check:
        check_question(session, question)
    ref = ActionRef.of_checkup(view.action.id)
    next_label = "Finish the check-up" if view.is_last else "Next day now"
    options = [
        *action_options(),
        ("n", next_label),
        ("l", "My checklist"),
        ("c", "Change device"),
        ("b", "Back"),
    ]
    while True:
        key = session.console.choose_key(options)
        if key in ACTION_KEYS:
            answer_action(session, ref, key)
        elif key == "n":
            return next_day(session, view)
        elif key == "l":
            checklist(session, view.platform)
        elif key == "c":
            return choose_platform(session)
        else:
            raise GoBack


def show_day(session: Session, view: DayView) -> None:
    console = session.console
    name = PLATFORM_NAMES.get(view.platform, "any device")
    console.say(f"\n== Check-up · day {view.day.day} of {view.total} ==")
    console.say_html(view.day.lesson)
    status = f" ({STATUS_WORDS[view.status]})" if view.status else ""
    console.say(f"\nYour step ({name}): {view.action.title}{status}")
    console.say_html(view.action.text)


def check_question(session: Session, question: Question) -> None:
    """One of the day's two questions; "b" skips it."""
    session.console.say(f"\n{question.question}")
    try:
        choice = session.console.choose(list(question.options), "Your answer: ")
    except GoBack:
        return
    session.console.say(verdict(question, choice == question.correct))


def next_day(session: Session, view: DayView) -> Shown:
    now = session.clock()
    shown = session.run(
        lambda c: flows.next_day(
            c, session.content, session.user_id, view.day.day, now, session.zone
        )
    )
    if shown is None:  # the day moved on meanwhile (the running bot's daily delivery)
        return session.run(lambda c: flows.current(c, session.content, session.user_id))
    return shown


def finished(session: Session, result: CheckupFinished) -> None:
    session.console.say(
        "\nYou finished the 7-day check-up!\n"
        f"Steps done: {result.done} of {result.total}. "
        "See what is left under My progress → My checklist."
    )


def checklist(session: Session, platform: Platform | None = None) -> None:
    """Done, left and not-for-me: for the check-up's device, or ask which."""
    found = session.run(
        lambda c: action_flows.checklist(c, session.content, session.user_id, platform)
    )
    if found is None:
        try:
            chosen = ask_platform(session, "Which device should I show the checklist for?")
        except GoBack:
            return
        found = session.run(
            lambda c: action_flows.checklist(c, session.content, session.user_id, chosen)
        )
    assert found is not None  # a platform was given
    session.console.say(checklist_text(found))


def checklist_text(found: Checklist) -> str:
    name = PLATFORM_NAMES.get(found.platform, "any device")
    lines = [f"\nYour checklist ({name})"]
    for title, entries in (
        ("Done", found.done),
        ("Left", found.left),
        ("Not for me", found.dismissed),
    ):
        lines.append(f"{title}: {len(entries)}")
        lines.extend(entry_line(e) for e in entries)
    return "\n".join(lines)


def entry_line(entry: ChecklistEntry) -> str:
    reminder = " (reminder set)" if entry.status is ActionStatus.SNOOZED else ""
    return f"• {entry.title}{reminder}"
