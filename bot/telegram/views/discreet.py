"""HTML and buttons of discreet mode: what it does, and when lessons delete themselves."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core import wording
from bot.core.discreet import DELETE_AFTER_HOURS, Preferences
from bot.telegram.callbacks import discreet
from bot.telegram.callbacks.card import Switch
from bot.telegram.render import button

ON_TEXT = (
    "🤫 <b>Discreet mode is on.</b>\n"
    "What I send on my own (daily tips, the weekly card) now arrives without a sound, starts "
    "with a plain line such as “Your daily note”, and can't be forwarded or saved."
)
OFF_TEXT = (
    "🔔 <b>Discreet mode is off.</b>\n"
    "Turn it on if someone else might see your phone: my daily messages then arrive quietly, "
    "start with a plain line, can't be forwarded, and lessons can delete themselves."
)


def discreet_line(choices: Preferences) -> str:
    return f"Discreet mode: {'on' if choices.discreet else 'off'}"


def deletion_line(choices: Preferences) -> str:
    if choices.delete_after_hours is None:
        return "Lessons stay in the chat. Pick a time to have them delete themselves:"
    after = wording.hours(choices.delete_after_hours)
    return f"Lessons (explainers and tips) delete themselves <b>after {after}</b>."


def panel(choices: Preferences, headline: str = "") -> tuple[str, InlineKeyboardMarkup]:
    """/discreet's answer: on or off, and the choices that go with it."""
    lines = [headline, ""] if headline else []
    if not choices.discreet:
        lines.append(OFF_TEXT)
        rows = [[button("🤫 Turn on discreet mode", discreet.set_to(Switch.ON))]]
        return "\n".join(lines), InlineKeyboardMarkup(rows)
    lines += [ON_TEXT, "", deletion_line(choices)]
    rows = [_hours_row(choices), [_keep_button(choices)]]
    rows.append([button("🔔 Turn off discreet mode", discreet.set_to(Switch.OFF))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def _hours_row(choices: Preferences) -> list[InlineKeyboardButton]:
    return [
        button(
            ("✓ " if choices.delete_after_hours == hours else "") + wording.hours(hours),
            discreet.delete_after(hours),
        )
        for hours in DELETE_AFTER_HOURS
    ]


def _keep_button(choices: Preferences) -> InlineKeyboardButton:
    mark = "✓ " if choices.delete_after_hours is None else ""
    return button(f"{mark}Keep lessons", discreet.delete_after(None))


def settings_button() -> InlineKeyboardButton:
    """The /settings row that opens this panel."""
    return button("🤫 Discreet mode", discreet.MENU)
