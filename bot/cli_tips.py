"""`python -m bot tips send-due`: one delivery pass now, without a running bot.

For operators (after downtime, or to check the setup) and for tests: it builds its own
`ExtBot` from settings with the same rate limiter as the running bot (`rate_limiter_for`), runs
one pass exactly like the repeating job, prints what it sent, skipped and failed, and exits 0.
Running it next to the bot is safe: the ledger's unique key lets a tip be claimed once, whoever
tries.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.cli_types import at_least_one, non_negative_seconds
from bot.config import Settings
from bot.core.content import ContentBank
from bot.core.delivery import PassReport
from bot.flows.delivery import anything_due, recover
from bot.startup import prepare
from bot.storage.database import Database

EXIT_USAGE = 2


def add_tips_commands(commands: Any) -> None:
    """Register `tips send-due` on the main parser's subcommands."""
    tips = commands.add_parser("tips", help="daily tips")
    tips_commands = tips.add_subparsers(dest="tips_command", required=True)
    send_due = tips_commands.add_parser("send-due", help="run one delivery pass now")
    send_due.add_argument(
        "--reclaim-after",
        type=non_negative_seconds,
        default=600.0,
        metavar="SECONDS",
        help="claims older than this are from a dead pass and become 'in doubt' "
        "(default 600; use 0 right after a crash when no other pass is running)",
    )
    send_due.add_argument(
        "--limit",
        type=at_least_one,
        default=None,
        metavar="N",
        help="send at most N tips in this pass",
    )
    send_due.set_defaults(handler=send_due_command)


def send_due_command(settings: Settings, args: argparse.Namespace) -> int:
    token = settings.token_value()
    if not token:
        print("TELEGRAM_BOT_TOKEN is not set; see `python -m bot run` for help.", file=sys.stderr)
        return EXIT_USAGE
    prepared = prepare(settings)
    if prepared is None:
        return 1
    bank, database = prepared
    try:
        report = asyncio.run(_one_pass(settings, token, bank, database, args))
    finally:
        database.close()
    print(f"Daily tips pass: {report.summary()}.")
    print(
        f"sent={report.sent} skipped={report.skipped} failed={report.failed} "
        f"blocked={report.blocked} in_doubt={report.in_doubt} deferred={report.deferred}"
    )
    if report.send_seconds > 0:
        rate = report.attempted / report.send_seconds
        print(f"send_seconds={report.send_seconds:.2f} rate={rate:.2f}/s")
    return 0


async def _one_pass(
    settings: Settings, token: str, bank: ContentBank, database: Database, args: argparse.Namespace
) -> PassReport:
    from telegram.ext import ExtBot
    from telegram.request import HTTPXRequest

    from bot.core.delivery import DeliveryPolicy
    from bot.telegram.delivery_job import deliver_with
    from bot.telegram.rate_limiter import bulk_rate_of, rate_limiter_for
    from bot.telegram.services import Services

    policy = DeliveryPolicy(
        rate_limit=bulk_rate_of(settings),
        claim_lease=timedelta(seconds=args.reclaim_after),
        max_messages=args.limit,
    )
    if not await database.run(lambda c: anything_due(c, datetime.now(UTC))):
        # Nobody is due: no reason to reach the Bot API (which may be down). Claims left by a
        # dead pass are still resolved, as a full pass would.
        lease = policy.claim_lease
        recovered = await database.run(lambda c: recover(c, datetime.now(UTC), lease))
        return PassReport(in_doubt=recovered, recovered=recovered)
    request = HTTPXRequest(connection_pool_size=policy.sends_in_flight())
    bot = ExtBot(  # the same rate limiter as the running bot: a 429 is handled the same way
        token,
        base_url=settings.telegram_api_base_url,
        base_file_url=settings.telegram_api_base_file_url,
        request=request,
        rate_limiter=rate_limiter_for(settings),
    )
    async with bot:
        return await deliver_with(Services(settings, bank, database), bot, policy)
