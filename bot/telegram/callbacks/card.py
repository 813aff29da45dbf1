"""Progress-card buttons ("card:"): show the card now, switch the weekly card on or off."""

from __future__ import annotations

from enum import StrEnum

from bot.telegram.callbacks.codec import checked, constant, full, match_of, one_of
from bot.telegram.context import Context


class Switch(StrEnum):
    ON = "on"
    OFF = "off"


SHOW, SHOW_PATTERN = constant("card:show")
WEEKLY_PATTERN = full(rf"card:weekly:(?P<switch>{one_of(Switch)})")


def weekly(switch: Switch) -> str:
    return checked(f"card:weekly:{switch.value}", WEEKLY_PATTERN)


def weekly_of(context: Context) -> bool:
    """True for "switch the weekly card on"."""
    return Switch(match_of(context)["switch"]) is Switch.ON
