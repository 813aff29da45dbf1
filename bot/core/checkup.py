"""The 7-day check-up's rules: which day is open, when the daily delivery moves on, progress.

The course moves forward one day at a time: on "Next day now", or with the daily tip when the
user is subscribed, but never more than once a local day by delivery (a user who asked for the
next day today has had today's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.actions import ActionStatus
from bot.core.content import CheckupAction, CheckupDay, Platform

CHOOSABLE_PLATFORMS = (Platform.ANDROID, Platform.IOS, Platform.WEB)
PLATFORM_NAMES = {Platform.ANDROID: "Android", Platform.IOS: "iPhone", Platform.WEB: "Web"}


@dataclass(frozen=True, slots=True)
class CheckupState:
    """A user's place in the course, as stored."""

    platform: Platform
    day: int
    last_day_on: date
    finished: bool


@dataclass(frozen=True, slots=True)
class DayView:
    """One day to show: the lesson, the action for the user's platform and its status."""

    day: CheckupDay
    action: CheckupAction
    platform: Platform
    total: int
    status: ActionStatus | None = None

    @property
    def is_last(self) -> bool:
        return self.day.day >= self.total


@dataclass(frozen=True, slots=True)
class CheckupFinished:
    """The course is over; how many of its actions were done."""

    done: int
    total: int


@dataclass(frozen=True, slots=True)
class CheckupProgress:
    """For /progress: day N of 7 and how many of the course's actions are ticked off."""

    day: int
    total: int
    actions_done: int
    finished: bool


def moves_on_today(state: CheckupState, today: date, total: int) -> bool:
    """Whether the daily delivery may open the next day today."""
    return not state.finished and state.day < total and state.last_day_on < today


def after(day: int, total: int) -> int | None:
    """The day after `day`, or None when `day` was the last."""
    return day + 1 if day < total else None
