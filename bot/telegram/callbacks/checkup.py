"""The check-up's buttons: open it, choose a platform, next day now, change platform, checklist.

"Next day now" carries the day it was shown on, so a second tap (or a tap on yesterday's
message) finds the course already moved and changes nothing.
"""

from __future__ import annotations

from bot.core.content import Platform
from bot.telegram.callbacks.codec import checked, constant, full, match_of
from bot.telegram.context import Context

_PLATFORM = "android|ios|web"

OPEN, OPEN_PATTERN = constant("ck:open")
CHANGE, CHANGE_PATTERN = constant("ck:change")
PLATFORM_PATTERN = full(rf"ck:p:({_PLATFORM})")
LIST_PATTERN = full(rf"ck:l:({_PLATFORM})")
NEXT_PATTERN = full(r"ck:n:([1-9][0-9]?)")


def platform(choice: Platform) -> str:
    return checked(f"ck:p:{choice.value}", PLATFORM_PATTERN)


def checklist_for(choice: Platform) -> str:
    return checked(f"ck:l:{choice.value}", LIST_PATTERN)


def next_day(from_day: int) -> str:
    return checked(f"ck:n:{from_day}", NEXT_PATTERN)


def platform_of(context: Context) -> Platform:
    return Platform(match_of(context).group(1))


def day_of(context: Context) -> int:
    return int(match_of(context).group(1))
