"""What the check-up, the action buttons and /checklist look like.

Lessons and action texts are validated Telegram HTML from the content bank; titles are escaped.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.actions import ActionRef, ActionStatus, ActionText, Checklist, ChecklistEntry, Verb
from bot.core.checkup import (
    CHOOSABLE_PLATFORMS,
    PLATFORM_NAMES,
    CheckupFinished,
    CheckupProgress,
    DayView,
)
from bot.core.telegram_html import escape
from bot.telegram.callbacks import actions as action_data
from bot.telegram.callbacks import checkup as checkup_data
from bot.telegram.render import button, fit, within_limit

NO_COURSE = "The check-up is not available yet. Try /tip for something to do today."
ASK_PLATFORM = (
    "🧭 <b>A 7-day privacy check-up</b>\n\n"
    "One short lesson and one thing to do each day. Which device should the steps be for?"
)
ASK_CHECKLIST_PLATFORM = "Which device should I show the checklist for?"

_LABELS = {
    Verb.DONE: ("✅ Done", "✅ Done ✓"),
    Verb.SKIP: ("Not for me", "Not for me ✓"),
    Verb.REMIND: ("⏰ Remind me in 3 days", "⏰ Reminder set ✓"),
}
_CHOSEN = {
    ActionStatus.DONE: Verb.DONE,
    ActionStatus.DISMISSED: Verb.SKIP,
    ActionStatus.SNOOZED: Verb.REMIND,
}
CONFIRMATIONS = {
    ActionStatus.DONE: "Nice work! Marked as done.",
    ActionStatus.DISMISSED: "Got it, I won't count this one.",
    ActionStatus.SNOOZED: "I'll remind you in 3 days.",
}


def action_rows(
    ref: ActionRef, status: ActionStatus | None = None
) -> list[list[InlineKeyboardButton]]:
    """ "Done", "Not for me" and "Remind me in 3 days"; the chosen one carries a tick."""
    chosen = _CHOSEN.get(status) if status else None
    buttons = [
        button(_LABELS[verb][verb is chosen], action_data.action(verb, ref)) for verb in Verb
    ]
    return [buttons[:2], buttons[2:]]


def with_status(
    markup: InlineKeyboardMarkup | None, ref: ActionRef, status: ActionStatus
) -> InlineKeyboardMarkup:
    """The same keyboard with this action's buttons showing the new status."""
    wanted = {action_data.action(verb, ref) for verb in Verb}
    rows = [list(row) for row in (markup.inline_keyboard if markup else ())]
    kept = [row for row in rows if not any(b.callback_data in wanted for b in row)]
    position = next(
        (i for i, row in enumerate(rows) if any(b.callback_data in wanted for b in row)), 0
    )
    before = [row for row in rows[:position] if row in kept]
    after = [row for row in rows[position:] if row in kept]
    return InlineKeyboardMarkup(before + action_rows(ref, status) + after)


def platform_question(for_checklist: bool = False) -> tuple[str, InlineKeyboardMarkup]:
    build = checkup_data.checklist_for if for_checklist else checkup_data.platform
    row = [button(PLATFORM_NAMES[p], build(p)) for p in CHOOSABLE_PLATFORMS]
    return (ASK_CHECKLIST_PLATFORM if for_checklist else ASK_PLATFORM), InlineKeyboardMarkup([row])


def day_message(view: DayView) -> tuple[str, InlineKeyboardMarkup]:
    """The lesson, the action for the user's device, its three buttons and "Next day now"."""
    name = PLATFORM_NAMES.get(view.platform, "any device")
    head = f"🧭 <i>Check-up · day {view.day.day} of {view.total}</i>"
    action = f"<b>Your step ({escape(name)}): {escape(view.action.title)}</b>\n{view.action.text}"
    ref = ActionRef.of_checkup(view.action.id)
    next_label = "🏁 Finish the check-up" if view.is_last else "Next day now ▶"
    rows = action_rows(ref, view.status)
    rows.append([button(next_label, checkup_data.next_day(view.day.day))])
    rows.append([button("📋 My checklist", checkup_data.checklist_for(view.platform))])
    rows.append([button("Change device", checkup_data.CHANGE)])
    return fit(f"{head}\n\n{view.day.lesson}\n\n{action}"), InlineKeyboardMarkup(rows)


def finished_message(result: CheckupFinished) -> str:
    return (
        "🏁 <b>You finished the 7-day check-up!</b>\n\n"
        f"Steps done: <b>{result.done} of {result.total}</b>. "
        "See what is left with /checklist. Run it again any time with /checkup."
    )


def reminder_message(action: ActionText) -> tuple[str, InlineKeyboardMarkup]:
    text = f"⏰ <i>You asked me to remind you</i>\n\n<b>{escape(action.title)}</b>\n{action.text}"
    return fit(text), InlineKeyboardMarkup(action_rows(action.ref))


def _line(entry: ChecklistEntry) -> str:
    return f"• {escape(entry.title)}" + (" ⏰" if entry.status is ActionStatus.SNOOZED else "")


def checklist_message(checklist: Checklist) -> tuple[str, InlineKeyboardMarkup]:
    """Done, left and not-for-me, grouped; long lists are cut to fit one message."""
    name = PLATFORM_NAMES.get(checklist.platform, "any device")
    head = [f"📋 <b>Your checklist ({escape(name)})</b>", ""]
    lines: list[str] = []
    for title, entries in (
        ("✅ Done", checklist.done),
        ("⬜ Left", checklist.left),
        ("🚫 Not for me", checklist.dismissed),
    ):
        lines.append(f"<b>{title}: {len(entries)}</b>")
        lines.extend(_line(e) for e in entries)
        lines.append("")
    others = [
        button(PLATFORM_NAMES[p], checkup_data.checklist_for(p))
        for p in CHOOSABLE_PLATFORMS
        if p is not checklist.platform
    ]
    return within_limit(head, lines, []), InlineKeyboardMarkup([others])


def progress_line(progress: CheckupProgress) -> str:
    """One line for /progress."""
    if progress.finished:
        return f"Check-up: <b>finished</b> · steps done <b>{progress.actions_done}</b>"
    return (
        f"Check-up: day <b>{progress.day} of {progress.total}</b> · "
        f"steps done <b>{progress.actions_done}</b>"
    )
