"""The three answers under a tip or a check-up step: Done, Not for me, Remind me in 3 days."""

from __future__ import annotations

from bot.core.actions import ActionRef, ActionStatus, Verb
from bot.flows.actions import mark
from bot.terminal.session import Session

# Keys as typed, in the order Telegram shows the buttons.
ACTION_KEYS: dict[str, tuple[Verb, str]] = {
    "d": (Verb.DONE, "Done"),
    "x": (Verb.SKIP, "Not for me"),
    "r": (Verb.REMIND, "Remind me in 3 days"),
}
CONFIRMATIONS = {
    ActionStatus.DONE: "Nice work! Marked as done.",
    ActionStatus.DISMISSED: "Got it, I won't count this one.",
    ActionStatus.SNOOZED: "I'll remind you in 3 days (the running bot sends reminders).",
}
STATUS_WORDS = {
    ActionStatus.DONE: "done",
    ActionStatus.DISMISSED: "not for you",
    ActionStatus.SNOOZED: "reminder set",
}


def action_options() -> list[tuple[str, str]]:
    return [(key, label) for key, (_, label) in ACTION_KEYS.items()]


def answer_action(session: Session, ref: ActionRef, key: str) -> None:
    """Record the answer typed as `key` (one of ACTION_KEYS) and confirm it."""
    verb = ACTION_KEYS[key][0]
    now = session.clock()
    status = session.run(
        lambda c: mark(c, session.content, session.user_id, ref, verb, now, session.zone)
    )
    if status is None:  # the bank lost the action while it was on screen
        session.console.say("That step is no longer in the content bank.")
        return
    session.console.say(CONFIRMATIONS[status])
