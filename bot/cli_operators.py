"""`python -m bot stats`: what /stats shows an operator, on the command line.

Aggregates only, like /stats: the same rows from `bot/flows/operators.py: report_lines`.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from bot.config import Settings
from bot.flows.operators import operator_stats, report_lines
from bot.operator_errors import database_errors
from bot.startup import prepare


def add_operator_commands(commands: Any) -> None:
    """Register `stats` on the top-level subcommands."""
    stats = commands.add_parser("stats", help="usage totals, as /stats shows operators")
    stats.set_defaults(handler=stats_command)


def stats_command(settings: Settings, args: argparse.Namespace) -> int:
    now = dt.datetime.now(dt.UTC)
    prepared = prepare(settings)  # an unusable database ends in main's one-line report
    if prepared is None:
        return 1
    bank, database = prepared
    try:
        with database_errors(settings.database_url):
            found = database.run_sync(
                lambda c: operator_stats(c, bank, now=now, zone=settings.timezone)
            )
    finally:
        database.close()
    rows = report_lines(found)
    width = max(len(label) for label, _ in rows)
    print("This instance")
    for label, value in rows:
        print(f"  {label + ':':<{width + 1}} {value}")
    return 0
