"""`python -m bot stats`: what /stats shows an operator, on the command line.

Aggregates only, like /stats: the same rows from `bot/flows/operators.py: report_lines`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from alembic.util.exc import CommandError
from sqlalchemy.exc import SQLAlchemyError

from bot.cli_stats import database_error_line
from bot.config import Settings
from bot.flows.operators import operator_stats, report_lines
from bot.startup import prepare
from bot.storage.database import DatabaseSetupError


def add_operator_commands(commands: Any) -> None:
    """Register `stats` on the top-level subcommands."""
    stats = commands.add_parser("stats", help="usage totals, as /stats shows operators")
    stats.set_defaults(handler=stats_command)


def stats_command(settings: Settings, args: argparse.Namespace) -> int:
    now = dt.datetime.now(dt.UTC)
    try:
        prepared = prepare(settings)
        if prepared is None:
            return 1
        bank, database = prepared
        try:
            found = database.run_sync(
                lambda c: operator_stats(c, bank, now=now, zone=settings.timezone)
            )
        finally:
            database.close()
    except (SQLAlchemyError, DatabaseSetupError, CommandError) as error:
        print(database_error_line(settings.database_url, error), file=sys.stderr)
        return 1
    rows = report_lines(found)
    width = max(len(label) for label, _ in rows)
    print("This instance")
    for label, value in rows:
        print(f"  {label + ':':<{width + 1}} {value}")
    return 0
