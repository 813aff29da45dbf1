"""Updates per second of the real bot vs a python-telegram-bot echo bot, same fake server.

The bot runs in this process exactly as in production (real Application, long polling, real
httpx client, SQLite in WAL mode with 10,000 users); the fake Bot API runs in a second process.
A timed batch mixes /start, quiz answers (each grades in the database and sends the next poll)
and /progress from many users. The echo bot gets the same number of text updates. Updates are
queued while polling is paused, then both bots drain them; the clock runs from resuming polling
to the last reply. Afterwards one quiz answer at a time is traced: handler, database, HTTP.

Run: .venv/bin/python -m bench.learning_throughput [--users 10000] [--batch 1200] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters
from telegram.request import HTTPXRequest

from bench.fake_server import FakeServer, fake_bot_api, own_cpu_seconds
from bot.app import AnyApplication, build_application
from bot.config import load_settings
from bot.contentbank.loader import load_content
from bot.storage import migrate
from bot.storage.database import Database
from bot.storage.tables import QUESTION_MEMORY, USERS
from bot.telegram.handlers import quiz as quiz_handlers
from bot.telegram.services import Services
from tests.fakes.control import FakeBotAPIControl

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
TOKEN = "123456:BENCH-token-abcdefghijklmnopqrstuvwxyz"


@dataclass
class Timings:
    """Accumulated wall time per part of the work, for the per-answer breakdown."""

    handler: list[float]
    database: list[float]
    http: list[float]
    in_thread: list[float]
    handled: asyncio.Event = field(default_factory=asyncio.Event)


def seed(database: Database, users: int, content_questions: list[str]) -> None:
    """10,000 users, each with a few answered questions, in a handful of transactions."""
    now = datetime.now(UTC)
    rng = random.Random(7)
    with database.transaction() as connection:
        connection.execute(
            insert(USERS),
            [{"id": uid, "created_at": now, "reachable": True} for uid in range(1, users + 1)],
        )
        rows = []
        for uid in range(1, users + 1):
            for qid in rng.sample(content_questions, 3):
                right = rng.random() < 0.6
                rows.append(
                    {
                        "user_id": uid,
                        "question_id": qid,
                        "topic": qid.rsplit("-q", 1)[0],
                        "answered": 1,
                        "correct": int(right),
                        "last_correct": right,
                        "review_step": None if right else 0,
                        "review_due_at": None if right else now + timedelta(days=1),
                        "last_answered_at": now,
                    }
                )
        connection.execute(insert(QUESTION_MEMORY), rows)


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


@dataclass
class Drained:
    """One timed batch: wall seconds, and CPU seconds of the bot and of the fake server."""

    updates: int
    seconds: float
    bot_cpu: float
    fake_cpu: float

    @property
    def rate(self) -> float:
        return self.updates / self.seconds


Expected = dict[str, int]  # Bot API method -> how many successful calls the batch must cause


async def drain(app: AnyApplication, fake: FakeServer, expected: Expected) -> Drained:
    """Resume polling and measure until the expected replies were sent."""
    assert app.updater is not None
    cpu, fake_cpu, started = own_cpu_seconds(), fake.cpu_seconds(), time.perf_counter()
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    await asyncio.to_thread(_wait_for_sends, fake.control, expected)
    elapsed = time.perf_counter() - started
    result = Drained(
        sum(expected.values()), elapsed, own_cpu_seconds() - cpu, fake.cpu_seconds() - fake_cpu
    )
    await app.updater.stop()
    return result


def _wait_for_sends(control: FakeBotAPIControl, expected: Expected) -> None:
    """Block on the fake's own wait (no polling loop here: it would eat the bot's CPU)."""
    for method, count in expected.items():
        if count:
            control.wait_for(method, count=count, timeout=300.0, ok_only=True)


async def prepare_quizzes(
    app: AnyApplication, control: FakeBotAPIControl, quiz_users: list[int]
) -> dict[int, dict[str, Any]]:
    """Every quiz user starts a quiz (untimed); returns each user's current poll."""
    assert app.updater is not None
    control.reset()
    for uid in quiz_users:
        control.send_text(uid, "/quiz")
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    await asyncio.to_thread(control.wait_for, "sendPoll", len(quiz_users), 120.0)
    await app.updater.stop()
    polls = {uid: control.last_poll(uid) for uid in quiz_users}
    return {uid: poll for uid, poll in polls.items() if poll is not None}


def queue_mixed_batch(
    control: FakeBotAPIControl,
    polls: dict[int, dict[str, Any]],
    users: int,
    size: int,
    rng: random.Random,
) -> Expected:
    """Queue /start, quiz answers and /progress in random order; returns replies expected.

    Quiz users are at their first question, so every answer is followed by the next poll.
    """
    answers = [("answer", uid) for uid in polls][: size // 3]
    others = [("/start", rng.randint(1, users)) for _ in range((size - len(answers)) // 2)]
    others += [
        ("/progress", rng.randint(1, users)) for _ in range(size - len(answers) - len(others))
    ]
    work = answers + others
    rng.shuffle(work)
    control.reset()
    for kind, uid in work:
        if kind == "answer":
            poll = polls[uid]
            control.answer_poll(
                uid, poll["poll_id"], [rng.choice([0, poll["correct_option_ids"][0]])]
            )
        else:
            control.send_text(uid, kind)
    answered = sum(1 for kind, _ in work if kind == "answer")
    return {"sendPoll": answered, "sendMessage": len(work) - answered}


def queue_echo_batch(
    control: FakeBotAPIControl, users: int, size: int, rng: random.Random
) -> Expected:
    control.reset()
    for _ in range(size):
        control.send_text(rng.randint(1, users), "hello there")
    return {"sendMessage": size}


def echo_application(base_url: str, concurrent: bool) -> AnyApplication:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message and update.effective_message.text:
            await update.effective_message.reply_text(update.effective_message.text)

    builder = ApplicationBuilder().token(TOKEN).base_url(base_url).concurrent_updates(concurrent)
    app: AnyApplication = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    return app


def instrument(timings: Timings) -> Callable[[], None]:
    """Wrap the poll-answer handler, Database.run and the HTTP client to time each part."""
    original_handler = quiz_handlers.poll_answer
    original_run = Database.run
    original_request = HTTPXRequest.do_request
    original_transaction = Database._on_loop_connection

    async def timed_handler(update: Update, context: Any) -> None:
        t = time.perf_counter()
        await original_handler(update, context)
        timings.handler.append(time.perf_counter() - t)
        timings.handled.set()

    async def timed_run(self: Database, work: Any) -> Any:
        t = time.perf_counter()
        try:
            return await original_run(self, work)
        finally:
            timings.database.append(time.perf_counter() - t)

    def timed_transaction(self: Database, work: Any) -> Any:
        t = time.perf_counter()
        try:
            return original_transaction(self, work)
        finally:
            timings.in_thread.append(time.perf_counter() - t)

    async def timed_request(self: HTTPXRequest, *args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        try:
            return await original_request(self, *args, **kwargs)
        finally:
            if "getUpdates" not in str(args[0] if args else kwargs.get("url")):
                timings.http.append(time.perf_counter() - t)

    quiz_handlers.poll_answer = timed_handler
    Database.run = timed_run  # type: ignore[method-assign]
    HTTPXRequest.do_request = timed_request  # type: ignore[method-assign]
    Database._on_loop_connection = timed_transaction  # type: ignore[method-assign]

    def restore() -> None:
        quiz_handlers.poll_answer = original_handler
        Database.run = original_run  # type: ignore[method-assign]
        HTTPXRequest.do_request = original_request  # type: ignore[method-assign]
        Database._on_loop_connection = original_transaction  # type: ignore[method-assign]

    return restore


async def trace_answers(
    base_url: str, control: FakeBotAPIControl, db_url: str, bank: Any, count: int
) -> Timings:
    """Answer `count` quiz polls one at a time and time handler, database and HTTP."""
    timings = Timings([], [], [], [])
    restore = instrument(timings)
    try:
        app = bot_application(base_url, db_url, bank)
        await start(app)
        users = list(range(20_001, 20_001 + count))
        polls = await prepare_quizzes(app, control, users)
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        for part in (timings.handler, timings.database, timings.http, timings.in_thread):
            part.clear()
        for uid, poll in polls.items():
            option = [poll["correct_option_ids"][0]]
            timings.handled.clear()
            await asyncio.to_thread(control.answer_poll, uid, poll["poll_id"], option)
            await asyncio.wait_for(timings.handled.wait(), timeout=30)
        await stop(app)
    finally:
        restore()
    return timings


def bot_application(base_url: str, db_url: str, bank: Any) -> AnyApplication:
    settings = load_settings(
        telegram_bot_token=TOKEN,
        telegram_api_base_url=base_url,
        database_url=db_url,
        log_level="WARNING",
    )
    return build_application(Services(settings, bank, Database(db_url)), rate_limited=False)


async def measure(args: argparse.Namespace) -> None:
    bank = load_content(CONTENT_DIR)
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as folder, fake_bot_api() as fake:
        base_url, control = fake.base_url, fake.control
        db_url = f"sqlite:///{folder}/bench.sqlite3"
        migrate.upgrade(db_url)
        seeding = Database(db_url)
        seed(seeding, args.users, [q.id for q in bank.questions])
        seeding.close()

        bot_runs: list[Drained] = []
        echo_runs: list[Drained] = []
        echo_concurrent_runs: list[Drained] = []
        for round_number in range(args.rounds):
            # Alternate who goes first, so a machine that speeds up or slows down during a
            # round favours neither side.
            bot_first = round_number % 2 == 0
            if bot_first:
                bot_runs.append(await run_bot_round(base_url, db_url, bank, fake, args, rng))
            for concurrent, runs in ((False, echo_runs), (True, echo_concurrent_runs)):
                runs.append(await run_echo_round(base_url, fake, concurrent, args, rng))
            if not bot_first:
                bot_runs.append(await run_bot_round(base_url, db_url, bank, fake, args, rng))
            print(
                f"round {round_number + 1} ({'bot' if bot_first else 'echo'} first): "
                f"bot {bot_runs[-1].rate:.0f}/s, echo {echo_runs[-1].rate:.0f}/s, "
                f"ratio {bot_runs[-1].rate / echo_runs[-1].rate:.2f}"
            )

        timings = await trace_answers(base_url, control, db_url, bank, args.trace)

    bot, echo, echo_c = (median(runs) for runs in (bot_runs, echo_runs, echo_concurrent_runs))
    handled = max(len(timings.handler), 1)
    per_answer = statistics.mean(timings.handler) * 1000
    database_ms = sum(timings.database) / handled * 1000
    in_thread_ms = sum(timings.in_thread) / handled * 1000
    http_ms = sum(timings.http) / handled * 1000
    rest = per_answer - database_ms - http_ms

    def row(label: str, run: Drained) -> tuple[str, ...]:
        return (
            label,
            f"{run.rate:.0f}",
            f"{run.rate / echo.rate:.2f}",
            f"{run.bot_cpu / run.updates * 1000:.2f}",
            f"{run.fake_cpu / run.updates * 1000:.2f}",
        )

    print_rows(
        f"{args.batch} updates per round, {args.users} users; medians of {args.rounds} rounds",
        ("updates/s", "vs echo", "bot CPU", "fake CPU"),
        [
            row("echo bot (PTB defaults: one update at a time)", echo),
            row("echo bot (PTB concurrent_updates=True)", echo_c),
            row("this bot: /start, quiz answers, /progress", bot),
        ],
    )
    print("(CPU columns: milliseconds of CPU per update, this process and the fake server)")
    ratios = sorted(b.rate / e.rate for b, e in zip(bot_runs, echo_runs, strict=True))
    paired = statistics.median(ratios)
    print(
        f"this bot vs the echo bot, paired within each round: median {paired:.2f} "
        f"(min {ratios[0]:.2f}, max {ratios[-1]:.2f}); the machine's speed drifts between rounds"
    )
    print(f"this bot vs the concurrent echo bot: {bot.rate / echo_c.rate:.2f}")
    cpu_ratio = (echo.bot_cpu / echo.updates) / (bot.bot_cpu / bot.updates)
    print(f"CPU per update, echo bot / this bot: {cpu_ratio:.2f} (the rate ratio if CPU-bound)")
    print_rows(
        f"one quiz answer, traced {len(timings.handler)} times one at a time",
        ("ms", "share", "calls"),
        [
            ("handler total (wall)", f"{per_answer:.2f}", "100%", ""),
            (
                "database (Database.run)",
                f"{database_ms:.2f}",
                f"{database_ms / per_answer:.0%}",
                f"{len(timings.database) / handled:.1f}",
            ),
            (
                "  of which inside the transaction",
                f"{in_thread_ms:.2f}",
                f"{in_thread_ms / per_answer:.0%}",
                "",
            ),
            (
                "HTTP to the Bot API (sendPoll/sendMessage)",
                f"{http_ms:.2f}",
                f"{http_ms / per_answer:.0%}",
                f"{len(timings.http) / handled:.1f}",
            ),
            (
                "other (PTB objects, rendering, event loop)",
                f"{rest:.2f}",
                f"{rest / per_answer:.0%}",
                "",
            ),
        ],
    )


async def run_bot_round(
    base_url: str,
    db_url: str,
    bank: Any,
    fake: FakeServer,
    args: argparse.Namespace,
    rng: random.Random,
) -> Drained:
    """Start quizzes for a third of the batch (untimed), then time the mixed batch."""
    app = bot_application(base_url, db_url, bank)
    await start(app)
    quiz_users = rng.sample(range(1, args.users + 1), args.batch // 3)
    polls = await prepare_quizzes(app, fake.control, quiz_users)
    expected = queue_mixed_batch(fake.control, polls, args.users, args.batch, rng)
    drained = await drain(app, fake, expected)
    await stop(app)
    return drained


async def run_echo_round(
    base_url: str,
    fake: FakeServer,
    concurrent: bool,
    args: argparse.Namespace,
    rng: random.Random,
) -> Drained:
    echo_app = echo_application(base_url, concurrent)
    await start(echo_app)
    expected = queue_echo_batch(fake.control, args.users, args.batch, rng)
    drained = await drain(echo_app, fake, expected)
    await stop(echo_app)
    return drained


def median(runs: list[Drained]) -> Drained:
    return sorted(runs, key=lambda run: run.rate)[len(runs) // 2]


def print_rows(title: str, headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    print(f"\n{title}")
    print(f"{'':<46}" + "".join(f"{h:>10}" for h in headers))
    for label, *cells in rows:
        print(f"{label:<46}" + "".join(f"{c:>10}" for c in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=1200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--trace", type=int, default=200)
    asyncio.run(measure(parser.parse_args()))


if __name__ == "__main__":
    main()
