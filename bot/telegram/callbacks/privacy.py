"""The /forget confirmation's two buttons."""

from __future__ import annotations

from enum import StrEnum

from bot.telegram.callbacks.codec import checked, full, match_of, one_of
from bot.telegram.context import Context


class ForgetChoice(StrEnum):
    DELETE = "yes"
    KEEP = "no"


FORGET_PATTERN = full(rf"forget:(?P<choice>{one_of(ForgetChoice)})")


def forget(choice: ForgetChoice) -> str:
    return checked(f"forget:{choice.value}", FORGET_PATTERN)


def forget_choice(context: Context) -> ForgetChoice:
    return ForgetChoice(match_of(context)["choice"])
