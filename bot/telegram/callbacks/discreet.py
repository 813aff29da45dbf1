"""Discreet-mode buttons ("dsc:"): open the panel, turn it on or off, when lessons delete.

The hours pattern accepts only the choices `bot.core.discreet.DELETE_AFTER_HOURS` offers (and
0 for "keep lessons"), so forged hours never reach the handler.
"""

from __future__ import annotations

from bot.core.discreet import DELETE_AFTER_HOURS
from bot.telegram.callbacks.card import Switch
from bot.telegram.callbacks.codec import checked, constant, full, match_of, one_of
from bot.telegram.context import Context

KEEP = 0  # "keep lessons" in callback data
MENU, MENU_PATTERN = constant("dsc:menu")
SET_PATTERN = full(rf"dsc:set:(?P<switch>{one_of(Switch)})")
_HOURS = "|".join(str(h) for h in (KEEP, *DELETE_AFTER_HOURS))
DELETE_PATTERN = full(rf"dsc:del:(?P<hours>{_HOURS})")


def set_to(switch: Switch) -> str:
    return checked(f"dsc:set:{switch.value}", SET_PATTERN)


def delete_after(hours: int | None) -> str:
    return checked(f"dsc:del:{KEEP if hours is None else hours}", DELETE_PATTERN)


def switch_of(context: Context) -> bool:
    """True for "turn discreet mode on"."""
    return Switch(match_of(context)["switch"]) is Switch.ON


def hours_of(context: Context) -> int | None:
    hours = int(match_of(context)["hours"])
    return None if hours == KEEP else hours
