"""The three buttons under a tip or a check-up action: "act:<verb>:<kind>:<content id>"."""

from __future__ import annotations

from bot.core.actions import ActionKind, ActionRef, Verb
from bot.telegram.callbacks.codec import ID, checked, full, match_of, one_of
from bot.telegram.context import Context

PATTERN = full(rf"act:({one_of(Verb)}):({one_of(ActionKind)}):({ID})")


def action(verb: Verb, ref: ActionRef) -> str:
    return checked(f"act:{verb.value}:{ref.kind.value}:{ref.item_id}", PATTERN)


def parse(context: Context) -> tuple[Verb, ActionRef]:
    match = match_of(context)
    return Verb(match.group(1)), ActionRef(ActionKind(match.group(2)), match.group(3))
