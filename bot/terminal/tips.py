"""A tip the person has not seen yet, in the order daily delivery uses, with its actions."""

from __future__ import annotations

from bot.core import wording
from bot.core.actions import ActionRef
from bot.core.tips import NextTip
from bot.flows.tips import next_tip_for
from bot.terminal.actions import ACTION_KEYS, action_options, answer_action
from bot.terminal.session import Session

NO_TIPS = "There are no tips in the content bank yet. Try Learn instead."


def tips(session: Session) -> None:
    """One tip; its actions can be answered, then another tip or back to the menu."""
    while True:
        found = next_tip(session)
        if found is None:
            session.console.say(NO_TIPS)
            return
        show_tip(session, found)
        if not tip_actions(session, ActionRef.of_tip(found.tip.id)):
            return


def next_tip(session: Session) -> NextTip | None:
    """The next tip, counted as seen in the same transaction."""
    now = session.clock()
    return session.run(lambda c: next_tip_for(c, session.content, session.user_id, now))


def show_tip(session: Session, found: NextTip) -> None:
    tip, total = found.tip, len(session.content.tips)
    console = session.console
    console.say(f"\n💡 {tip.title}\n")
    console.say_html(tip.text.strip())
    if tip.sources:
        console.say(f"Source: {tip.sources[0].title} {tip.sources[0].url}")
    if found.unseen_left:
        console.say(f"{wording.new_tips_left(found.unseen_left)} of {total}.")
    else:
        console.say(f"You have seen all {total} tips; now repeating the oldest first.")


def tip_actions(session: Session, ref: ActionRef) -> bool:
    """Answer the tip's actions until "Another tip" (True) or "Back" (False)."""
    options = [*action_options(), ("a", "Another tip"), ("b", "Back")]
    while True:
        key = session.console.choose_key(options)
        if key in ACTION_KEYS:
            answer_action(session, ref, key)
        else:
            return key == "a"
