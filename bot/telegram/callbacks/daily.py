"""Daily-tip buttons ("sub:"): menu actions, a time, a time zone, and keeping the zone.

A time pattern accepts only real times (00:00-23:59), so "sub:t:2599" never reaches the
handler. A zone pattern accepts what looks like an IANA name; the handler still checks that the
name exists, since the pattern cannot know the zone database.
"""

from __future__ import annotations

from datetime import time
from enum import StrEnum

from bot.telegram.callbacks.codec import checked, constant, full, match_of, one_of
from bot.telegram.context import Context


class DailyAction(StrEnum):
    """The settings buttons that carry no value."""

    MENU = "menu"  # show the settings panel
    STOP = "stop"
    ASK_TIME = "time"
    ASK_ZONE = "zone"
    PAUSE = "pause"
    RESUME = "resume"


ACTION_PATTERN = full(rf"sub:(?P<action>{one_of(DailyAction)})")
TIME_PATTERN = full(r"sub:t:(?P<hour>[01][0-9]|2[0-3])(?P<minute>[0-5][0-9])")
KEEP_ZONE, KEEP_ZONE_PATTERN = constant("sub:z:keep")
# Disjoint from KEEP_ZONE_PATTERN, so which handler runs never depends on registration order.
ZONE_PATTERN = full(r"sub:z:(?!keep\Z)(?P<zone>[A-Za-z][A-Za-z0-9_+\-/]{0,57})")


def action(value: DailyAction) -> str:
    return checked(f"sub:{value.value}", ACTION_PATTERN)


def send_time(value: time) -> str:
    return checked(f"sub:t:{value.hour:02d}{value.minute:02d}", TIME_PATTERN)


def zone(name: str) -> str:
    return checked(f"sub:z:{name}", ZONE_PATTERN)


def action_of(context: Context) -> DailyAction:
    return DailyAction(match_of(context)["action"])


def time_of(context: Context) -> time:
    match = match_of(context)
    return time(int(match["hour"]), int(match["minute"]))


def zone_of(context: Context) -> str:
    """The zone name of a ZONE_PATTERN button; not yet checked against the zone database."""
    return match_of(context)["zone"]
