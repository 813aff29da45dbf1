"""HTML and keyboards of a tip: the /tip answer and the daily delivery.

Tip text is validated Telegram HTML from the content bank; everything else shown here is
escaped.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.core import wording
from bot.core.actions import ActionRef
from bot.core.content import Tip
from bot.core.telegram_html import escape, escape_attribute
from bot.telegram.callbacks import daily, quiz, tips
from bot.telegram.callbacks.daily import DailyAction
from bot.telegram.render import button, fit
from bot.telegram.views.checkup import action_rows

NO_TIPS = "There are no tips in the content bank yet. Try /learn instead."


def tip_body(tip: Tip) -> str:
    """Bold title, the tip's HTML, and its first source as a link."""
    lines = [f"💡 <b>{escape(tip.title)}</b>", "", tip.text.strip()]
    if tip.sources:
        source = tip.sources[0]
        lines += [
            "",
            f'Source: <a href="{escape_attribute(source.url)}">{escape(source.title)}</a>',
        ]
    return "\n".join(lines)


def tip_message(tip: Tip, unseen_left: int, total: int) -> tuple[str, InlineKeyboardMarkup]:
    """The /tip answer: the tip, how many new ones are left, "Another tip" and "Daily tips"."""
    if unseen_left:
        footer = f"<i>{wording.new_tips_left(unseen_left)} of {total}.</i>"
    else:
        footer = f"<i>You have seen all {total} tips; now repeating the oldest first.</i>"
    keyboard = InlineKeyboardMarkup(
        [
            *action_rows(ActionRef.of_tip(tip.id)),
            [
                button("💡 Another tip", tips.NEXT),
                button("📅 Daily tips", daily.action(DailyAction.MENU)),
            ],
        ]
    )
    return fit(f"{tip_body(tip)}\n\n{footer}"), keyboard


DAILY_FIRST_LINE = "📅 <i>Your daily tip</i>"


def daily_tip_message(
    tip: Tip, first_line: str = DAILY_FIRST_LINE
) -> tuple[str, InlineKeyboardMarkup]:
    """A daily delivery: the tip with "Another tip", "Quiz me" and "Stop daily tips".

    Discreet mode passes a neutral `first_line`: it is what a notification preview shows.
    """
    keyboard = InlineKeyboardMarkup(
        [
            *action_rows(ActionRef.of_tip(tip.id)),
            [button("💡 Another tip", tips.NEXT), button("❓ Quiz me", quiz.start())],
            [button("🛑 Stop daily tips", daily.action(DailyAction.STOP))],
        ]
    )
    return fit(f"{first_line}\n\n{tip_body(tip)}"), keyboard
