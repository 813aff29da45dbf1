"""Actions a user can tick off: the three answers to a tip or a check-up action, and reminders.

Pure rules: what an action is called in storage, when "remind me in 3 days" falls due in the
user's own time, and how /checklist groups what is done, left and dismissed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core.content import ContentBank, Platform
from bot.core.local_time import local_date, send_instant

REMIND_AFTER = timedelta(days=3)
DEFAULT_REMINDER_TIME = time(9, 0)
"""When a reminder goes out for someone without a daily-tip time."""


class ActionKind(StrEnum):
    """What an action belongs to; the short value goes into callback data."""

    TIP = "t"
    CHECKUP = "c"


class Verb(StrEnum):
    """The three buttons under an action."""

    DONE = "done"
    SKIP = "skip"
    REMIND = "remind"


class ActionStatus(StrEnum):
    DONE = "done"
    DISMISSED = "dismissed"
    SNOOZED = "snoozed"  # "remind me": still left, with a reminder pending


STATUS_OF = {Verb.DONE: ActionStatus.DONE, Verb.SKIP: ActionStatus.DISMISSED}
STATUS_OF_REMIND = ActionStatus.SNOOZED


class ReminderStatus(StrEnum):
    """A reminder's state, like the ledger's: claimed before the send, never sent twice."""

    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    IN_DOUBT = "in_doubt"
    FAILED = "failed"


_PREFIX = {ActionKind.TIP: "tip", ActionKind.CHECKUP: "checkup"}
_KIND = {prefix: kind for kind, prefix in _PREFIX.items()}


@dataclass(frozen=True, slots=True)
class ActionRef:
    """One action: a tip or a check-up action, by its content id."""

    kind: ActionKind
    item_id: str

    @property
    def key(self) -> str:
        """How storage names it: "tip:<id>" or "checkup:<id>"."""
        return f"{_PREFIX[self.kind]}:{self.item_id}"

    @staticmethod
    def of_tip(tip_id: str) -> ActionRef:
        return ActionRef(ActionKind.TIP, tip_id)

    @staticmethod
    def of_checkup(action_id: str) -> ActionRef:
        return ActionRef(ActionKind.CHECKUP, action_id)

    @staticmethod
    def from_key(key: str) -> ActionRef | None:
        prefix, _, item_id = key.partition(":")
        kind = _KIND.get(prefix)
        return ActionRef(kind, item_id) if kind is not None and item_id else None


def status_after(verb: Verb) -> ActionStatus:
    return STATUS_OF.get(verb, STATUS_OF_REMIND)


def reminder_due(now: datetime, zone: ZoneInfo, send_time: time | None) -> datetime:
    """Three local days from today, at the daily-tip time (09:00 without one), as UTC."""
    day = local_date(zone, now) + REMIND_AFTER
    return send_instant(day, send_time or DEFAULT_REMINDER_TIME, zone)


@dataclass(frozen=True, slots=True)
class ActionText:
    """What a reminder shows: the action's title and its Telegram HTML."""

    ref: ActionRef
    title: str
    text: str


def action_text(bank: ContentBank, ref: ActionRef) -> ActionText | None:
    """The action's words, or None when the bank no longer has it (a stale button)."""
    if ref.kind is ActionKind.TIP:
        tip = bank.tip(ref.item_id)
        return ActionText(ref, tip.title, tip.text) if tip else None
    found = bank.checkup_action(ref.item_id)
    if found is None:
        return None
    day, action = found
    return ActionText(ref, f"Day {day.day}: {action.title}", action.text)


@dataclass(frozen=True, slots=True)
class ChecklistEntry:
    ref: ActionRef
    title: str
    status: ActionStatus | None


@dataclass(frozen=True, slots=True)
class Checklist:
    platform: Platform
    done: tuple[ChecklistEntry, ...]
    left: tuple[ChecklistEntry, ...]
    dismissed: tuple[ChecklistEntry, ...]


def build_checklist(
    bank: ContentBank, platform: Platform, statuses: Mapping[str, ActionStatus]
) -> Checklist:
    """Every check-up action for `platform`, and every tip for it the user answered, grouped."""
    entries: list[ChecklistEntry] = []
    for day in bank.checkup:
        action = day.action_for(platform)
        if action is not None:
            ref = ActionRef(ActionKind.CHECKUP, action.id)
            title = f"Day {day.day}: {action.title}"
            entries.append(ChecklistEntry(ref, title, statuses.get(ref.key)))
    for tip in bank.tips:
        ref = ActionRef(ActionKind.TIP, tip.id)
        status = statuses.get(ref.key)
        fits = platform in tip.platforms or Platform.ANY in tip.platforms
        if status is not None and fits:
            entries.append(ChecklistEntry(ref, tip.title, status))
    return Checklist(
        platform,
        tuple(e for e in entries if e.status is ActionStatus.DONE),
        tuple(e for e in entries if e.status in (None, ActionStatus.SNOOZED)),
        tuple(e for e in entries if e.status is ActionStatus.DISMISSED),
    )
