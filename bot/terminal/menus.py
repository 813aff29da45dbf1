"""The terminal's menus: the /start menu's items in its order, then "More" for the commands.

Telegram's /start menu has six buttons (`bot/telegram/render.py: MAIN_MENU`); the terminal
numbers the same six, without emoji, and adds a seventh, "More", for what Telegram offers as
commands (/review, /checklist, /privacy, /mydata, /forget) and the terminal's own reset.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.terminal import checkup, learning, privacy, progress, settings, tips
from bot.terminal.session import Session

Screen = Callable[[Session], object]


@dataclass(frozen=True, slots=True)
class Item:
    label: str
    screen: Screen


START_MENU = (
    Item("Learn", learning.learn),
    Item("Quiz", learning.quiz),
    Item("Tip", tips.tips),
    Item("Daily tips", settings.daily_tips),
    Item("Check-up", checkup.checkup),
    Item("My progress", progress.progress),
)
MORE_MENU = (
    Item("Review", learning.review),
    Item("My checklist", checkup.checklist),
    Item("Privacy: what is stored and why", privacy.privacy),
    Item("My data: save a copy as JSON", privacy.my_data),
    Item("Forget: delete everything about me", privacy.forget),
    Item("Reset: delete everything and start again", privacy.reset),
)
MORE = "More"
