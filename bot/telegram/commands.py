"""The bot's commands, in menu order: the one list behind setMyCommands and /help."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    description: str


COMMANDS: tuple[Command, ...] = (
    Command("start", "Welcome and main menu"),
    Command("help", "What I can do"),
)
