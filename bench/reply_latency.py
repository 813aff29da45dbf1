"""Reply latency of interactive users, with no delivery running and during a daily-tip wave.

The real Application (long polling, `ChatRateLimiter` at the default 30 messages/s) talks to the
fake Bot API in its own process, which enforces a 30/s cap like Telegram. A few users send /help
at a steady pace; latency runs from queueing the update to the reply reaching the fake (both on
CLOCK_MONOTONIC). First without delivery, then while one pass sends to every subscriber (all due
at once): the wave's tips should use what replies leave, and replies should barely notice.

Run: .venv/bin/python -m bench.reply_latency [--subscribers 1000] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.daily_tips import populate
from bench.fake_server import fake_bot_api
from bot.app import build_application
from bot.config import load_settings
from bot.contentbank.loader import load_content
from bot.storage import migrate
from bot.storage.database import Database
from bot.storage.repositories import subscriptions
from bot.telegram.delivery_job import deliver_with
from bot.telegram.services import Services
from tests.fakes.control import FakeBotAPIControl

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
TOKEN = "123456:BENCH-token-abcdefghijklmnopqrstuvwxyz"
INTERACTIVE = range(900_001, 900_021)
BUDGET = 30.0


async def ask(control: FakeBotAPIControl, seconds: float, per_second: float) -> list[float]:
    """Send /help at a steady pace for `seconds`; return when each update was queued."""
    queued: list[tuple[int, float]] = []
    users = list(INTERACTIVE)
    start = time.monotonic()
    for n in range(int(seconds * per_second)):
        await asyncio.sleep(max(0.0, start + n / per_second - time.monotonic()))
        user = users[n % len(users)]
        queued.append((user, time.monotonic()))
        await asyncio.to_thread(control.send_text, user, "/help")
    await asyncio.sleep(2.0)  # let the last replies arrive
    return await asyncio.to_thread(latencies, control, queued)


def latencies(control: FakeBotAPIControl, queued: list[tuple[int, float]]) -> list[float]:
    """For each /help, the time until the next reply to that user (users ask one at a time)."""
    replies: dict[int, list[float]] = {}
    for request in control.requests("sendMessage"):
        if request["chat_id"] in INTERACTIVE and request["status"] == 200:
            replies.setdefault(request["chat_id"], []).append(request["time"])
    found = []
    for user, at in queued:
        later = [t for t in replies.get(user, []) if t >= at]
        if later:
            found.append(later[0] - at)
            replies[user].remove(later[0])
    return found


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def measure(args: argparse.Namespace) -> list[tuple[str, str, str, str]]:
    bank = load_content(CONTENT_DIR)
    with tempfile.TemporaryDirectory() as folder, fake_bot_api("--rate-cap", "30") as fake:
        db_url = f"sqlite:///{folder}/bench.sqlite3"
        migrate.upgrade(db_url)
        database = Database(db_url)
        populate(database, args.subscribers, datetime.now(UTC) + timedelta(days=1))
        for user_id in [*range(1, args.subscribers + 1), *INTERACTIVE]:
            fake.control.add_user(user_id)
        settings = load_settings(
            telegram_bot_token=TOKEN,
            telegram_api_base_url=fake.base_url,
            database_url=db_url,
            log_level="WARNING",
            tips_check_interval=3600,
        )
        services = Services(settings, bank, database)
        app = build_application(services)
        await app.initialize()
        assert app.post_init is not None
        assert app.updater is not None
        await app.post_init(app)
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            quiet = await ask(fake.control, args.seconds, args.per_second)
            due = dict.fromkeys(range(1, args.subscribers + 1), datetime.now(UTC))
            database.run_sync(lambda c: subscriptions.reschedule_many(c, due))
            wave = asyncio.create_task(deliver_with(services, app.bot))
            await asyncio.sleep(1.0)  # the wave is under way
            busy = await ask(fake.control, args.seconds, args.per_second)
            busy_done = not wave.done()
            report = await wave
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()
            database.close()
        stats = fake.control.stats()
    wave_rate = report.attempted / report.send_seconds if report.send_seconds else 0.0
    left = min(settings.tips_rate_limit, BUDGET - args.per_second)
    p95_ratio = percentile(busy, 0.95) / percentile(quiet, 0.95)
    rows = [
        ("p50 reply latency, no delivery", f"{statistics.median(quiet) * 1000:.0f} ms", "", ""),
        ("p95 reply latency, no delivery", f"{percentile(quiet, 0.95) * 1000:.0f} ms", "", ""),
        (
            f"p50 reply latency, during a wave of {args.subscribers}",
            f"{statistics.median(busy) * 1000:.0f} ms",
            "",
            "",
        ),
        (
            f"p95 reply latency, during a wave of {args.subscribers}",
            f"{percentile(busy, 0.95) * 1000:.0f} ms",
            "<= 1.5x no delivery",
            f"{p95_ratio:.2f}x",
        ),
        ("replies measured (no delivery / wave)", f"{len(quiet)} / {len(busy)}", "", ""),
        (
            f"wave: {report.sent} tips sent",
            f"{wave_rate:.1f}/s",
            f">= 95% of {left:g}/s left",
            f"{wave_rate / left:.1%}",
        ),
        ("wave still running when replies ended", str(busy_done), "True", ""),
        ("429 answers from the fake's 30/s cap", str(stats["rate_limited"]), "0", ""),
    ]
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--per-second", type=float, default=4.0, help="interactive /help rate")
    rows: Any = asyncio.run(measure(parser.parse_args()))
    width = max(len(row[0]) for row in rows)
    print(f"{'measure':<{width}}  {'value':>12}  {'target':>20}  {'vs target':>9}")
    for name, value, target, ratio in rows:
        print(f"{name:<{width}}  {value:>12}  {target:>20}  {ratio:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
