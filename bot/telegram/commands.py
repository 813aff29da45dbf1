"""The bot's commands, in menu order: the one list behind setMyCommands and /help."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    description: str


COMMANDS: tuple[Command, ...] = (
    Command("start", "Welcome and main menu"),
    Command("learn", "Short explainers by topic (also /topics)"),
    Command("quiz", "A 5-question quiz: /quiz or /quiz <topic>"),
    Command("review", "Questions you missed, due again"),
    Command("progress", "Your answers, mastery and streak"),
    Command("tip", "A practical tip you have not seen yet"),
    Command("checkup", "A 7-day privacy check-up, one step a day"),
    Command("checklist", "What you have done and what is left"),
    Command("subscribe", "A tip every day at your time: /subscribe 08:30 Europe/Berlin"),
    Command("unsubscribe", "Stop daily tips"),
    Command("settings", "Daily tip time, time zone, pause/resume"),
    Command("discreet", "Quiet, unforwardable daily messages; lessons that delete"),
    Command("privacy", "What I store about you, why, and for how long"),
    Command("mydata", "A file with everything I hold about you"),
    Command("forget", "Delete everything I hold about you"),
    Command("help", "What I can do"),
)
