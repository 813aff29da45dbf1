"""How long other users wait for /help while one user floods the bot with 1,000 messages.

The bot runs in this process exactly as in production (real Application, long polling, real
httpx client, SQLite); the fake Bot API runs in a second process. One user's 1,000 messages are
queued while polling is paused (forwarding a hundred messages is one tap in Telegram); polling
resumes and, from that moment on, other users send /help at a steady pace, each from a new
user. A /help's latency runs from the fake accepting it to the fake receiving its reply (both
clocks are CLOCK_MONOTONIC, shared across processes on Linux).

The same run is repeated for the per-user bound as configured (USER_QUEUE_LIMIT) and for the
processor without it, once with the client-side rate limiter the bot installs and once without.

Run: .venv/bin/python -m bench.flood_latency [--flood 1000] [--helps 60] [--interval 0.1]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.fake_server import fake_bot_api
from bot.app import AnyApplication, build_application
from bot.config import load_settings
from bot.contentbank.loader import load_content
from bot.storage import migrate
from bot.storage.database import Database
from bot.telegram.handlers import flood
from bot.telegram.services import Services
from bot.telegram.update_processor import ACCEPTED_AT_ONCE, PerUserUpdateProcessor
from tests.fakes.control import FakeBotAPIControl

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
TOKEN = "123456:BENCH-token-abcdefghijklmnopqrstuvwxyz"
FLOODER = 1
FIRST_HELPER = 10_000
TARGET_P95 = 0.5


@dataclass(frozen=True)
class Setup:
    """One way to build the update processor."""

    label: str
    user_queue_limit: int | None
    accepted_at_once: int


@dataclass
class Run:
    """What one flood did: other users' /help latencies and what the flooder got."""

    setup: Setup
    limiter: str
    latencies: list[float]
    flood_handled: int
    notices: int
    flood_seconds: float

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def setups(limit: int) -> list[Setup]:
    return [
        Setup(f"bound {limit} per user, {ACCEPTED_AT_ONCE} accepted", limit, ACCEPTED_AT_ONCE),
        Setup(f"no bound, {ACCEPTED_AT_ONCE} accepted", None, ACCEPTED_AT_ONCE),
        Setup("no bound, 64 accepted (the code before)", None, 64),
    ]


async def start(app: AnyApplication) -> None:
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.start()


async def stop(app: AnyApplication) -> None:
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    await app.stop()
    await app.shutdown()


def bot_application(
    base_url: str, db_url: str, bank: Any, setup: Setup, rate_limited: bool
) -> AnyApplication:
    settings = load_settings(
        telegram_bot_token=TOKEN,
        telegram_api_base_url=base_url,
        database_url=db_url,
        log_level="WARNING",
    )
    processor = PerUserUpdateProcessor(
        in_flight=settings.updates_in_flight,
        user_queue_limit=setup.user_queue_limit,
        on_skipped=flood.answer_skipped,
        accepted_at_once=setup.accepted_at_once,
    )
    services = Services(settings, bank, Database(db_url))
    return build_application(services, rate_limited=rate_limited, update_processor=processor)


def queue_flood(control: FakeBotAPIControl, count: int) -> None:
    for n in range(count):
        control.send_text(FLOODER, f"forwarded message {n}")


def send_helps(control: FakeBotAPIControl, count: int, interval: float) -> dict[int, float]:
    """/help from `count` new users, one every `interval` seconds; user -> time accepted."""
    sent: dict[int, float] = {}
    next_at = time.monotonic()
    for n in range(count):
        time.sleep(max(0.0, next_at - time.monotonic()))
        control.send_text(FIRST_HELPER + n, "/help")
        sent[FIRST_HELPER + n] = time.monotonic()
        next_at += interval
    return sent


async def wait_until_quiet(app: AnyApplication, control: FakeBotAPIControl) -> None:
    """Until nothing is fetched, queued or handled for a quarter of a second."""
    calm = 0
    deadline = time.monotonic() + 600
    while calm < 5:
        if time.monotonic() > deadline:
            raise RuntimeError("the bot did not finish the flood within 10 minutes")
        await asyncio.sleep(0.05)
        pending = (await asyncio.to_thread(control.stats))["pending_updates"]
        idle = (
            not pending
            and app.update_queue.empty()
            and app.update_processor.current_concurrent_updates == 0
        )
        calm = calm + 1 if idle else 0


async def run_once(
    base_url: str,
    control: FakeBotAPIControl,
    db_url: str,
    bank: Any,
    setup: Setup,
    rate_limited: bool,
    args: argparse.Namespace,
) -> Run:
    app = bot_application(base_url, db_url, bank, setup, rate_limited)
    limiter = type(app.bot.rate_limiter).__name__ if app.bot.rate_limiter else "none"
    await start(app)
    assert app.updater is not None
    await asyncio.to_thread(control.reset)
    await asyncio.to_thread(queue_flood, control, args.flood)
    released = time.monotonic()
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    sent = await asyncio.to_thread(send_helps, control, args.helps, args.interval)
    await wait_until_quiet(app, control)
    await stop(app)

    replies = await asyncio.to_thread(control.requests, "sendMessage", ok_only=True)
    answered: dict[int, float] = {}
    for reply in replies:
        answered.setdefault(reply["chat_id"], reply["time"])
    missing = [user for user in sent if user not in answered]
    if missing:
        raise RuntimeError(f"{len(missing)} /help got no reply")
    to_flooder = [r for r in replies if r["chat_id"] == FLOODER]
    notices = sum(1 for r in to_flooder if r["params"]["text"] == flood.SLOW_DOWN)
    return Run(
        setup=setup,
        limiter=limiter,
        latencies=[answered[user] - at for user, at in sent.items()],
        flood_handled=len(to_flooder) - notices,
        notices=notices,
        flood_seconds=max(r["time"] for r in to_flooder) - released,
    )


async def measure(args: argparse.Namespace) -> None:
    bank = load_content(CONTENT_DIR)
    runs: list[Run] = []
    with tempfile.TemporaryDirectory() as folder, fake_bot_api() as fake:
        db_url = f"sqlite:///{folder}/bench.sqlite3"
        migrate.upgrade(db_url)
        for rate_limited in (True, False):
            for setup in setups(args.limit):
                run = await run_once(
                    fake.base_url, fake.control, db_url, bank, setup, rate_limited, args
                )
                runs.append(run)
                print(f"done: {setup.label}, limiter {run.limiter}", flush=True)
    print_table(runs, args)


def print_table(runs: list[Run], args: argparse.Namespace) -> None:
    print(
        f"\nOne user floods {args.flood} messages at once; {args.helps} other users send /help, "
        f"one every {args.interval * 1000:.0f} ms from the moment polling resumes."
    )
    headers = ("p50 ms", "p95 ms", "max ms", "handled", "notices", "flood s")
    print(f"{'update processor':<44}{'limiter':<16}" + "".join(f"{h:>9}" for h in headers))
    for run in runs:
        cells = (
            f"{run.percentile(0.50) * 1000:.0f}",
            f"{run.percentile(0.95) * 1000:.0f}",
            f"{max(run.latencies) * 1000:.0f}",
            str(run.flood_handled),
            str(run.notices),
            f"{run.flood_seconds:.1f}",
        )
        print(f"{run.setup.label:<44}{run.limiter:<16}" + "".join(f"{c:>9}" for c in cells))
    print(
        "(p50/p95/max: other users' /help latency; handled: flood messages answered; notices: "
        "slow-down replies; flood s: until the flood's last reply)"
    )
    limiters = {run.limiter for run in runs} - {"none"}
    if limiters == {"AIORateLimiter"}:
        print(
            "The limiter is PTB's AIORateLimiter (one first-come queue): the round-robin "
            "limiter is not in this branch yet."
        )
    bounded = [run for run in runs if run.setup.user_queue_limit is not None]
    for run in bounded:
        p95 = run.percentile(0.95)
        verdict = "met" if p95 < TARGET_P95 else "MISSED"
        print(
            f"target p95 < {TARGET_P95 * 1000:.0f} ms with the bound, limiter {run.limiter}: "
            f"{verdict} ({p95 * 1000:.0f} ms)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flood", type=int, default=1000)
    parser.add_argument("--helps", type=int, default=60)
    parser.add_argument("--interval", type=float, default=0.1)
    parser.add_argument("--limit", type=int, default=load_settings().user_queue_limit)
    asyncio.run(measure(parser.parse_args()))


if __name__ == "__main__":
    main()
