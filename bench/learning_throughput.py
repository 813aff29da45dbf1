"""Updates per second of the real bot vs a python-telegram-bot echo bot, same fake server.

The bot runs in this process exactly as in production (real Application, long polling, real
httpx client, SQLite in WAL mode with 10,000 users); the fake Bot API runs in a second process.
A timed batch mixes /start, quiz answers (each grades in the database and sends the next poll)
and /progress from many users. The echo bot gets the same number of text updates. Updates are
queued while polling is paused, then both bots drain them; the clock runs from resuming polling
to the last reply. Afterwards one quiz answer at a time is traced: handler, database, HTTP.

Run: .venv/bin/python -m bench.learning_throughput [--users 10000] [--batch 1200] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters
from telegram.request import HTTPXRequest

from bench.fake_server import fake_bot_api
from bot.app import AnyApplication, build_application
from bot.config import load_settings
from bot.contentbank.loader import load_content
from bot.storage import migrate
from bot.storage.database import Database
from bot.storage.models import QuestionMemory, User
from bot.telegram.handlers import quiz as quiz_handlers
from bot.telegram.services import Services
from tests.fakes.control import FakeBotAPIControl

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
TOKEN = "123456:BENCH-token-abcdefghijklmnopqrstuvwxyz"
SENDS = ("sendMessage", "sendPoll")


@dataclass
class Timings:
    """Accumulated wall time per part of the work, for the per-answer breakdown."""

    handler: list[float]
    database: list[float]
    http: list[float]


def seed(database: Database, users: int, content_questions: list[str]) -> None:
    """10,000 users, each with a few answered questions, in a handful of transactions."""
    now = datetime.now(UTC)
    rng = random.Random(7)
    with database.transaction() as session:
        session.execute(
            insert(User),
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
        session.execute(insert(QuestionMemory), rows)


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


async def drain(app: AnyApplication, control: FakeBotAPIControl, expected: int) -> float:
    """Resume polling and return seconds until `expected` replies were sent."""
    assert app.updater is not None
    started = time.perf_counter()
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    await asyncio.to_thread(_wait_for_sends, control, expected)
    elapsed = time.perf_counter() - started
    await app.updater.stop()
    return elapsed


def _wait_for_sends(control: FakeBotAPIControl, expected: int) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        counts = control.stats()["counts"]
        if sum(counts.get(m, 0) for m in SENDS) >= expected:
            return
        time.sleep(0.02)
    raise RuntimeError(f"only {control.stats()['counts']} after 300 s")


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
) -> int:
    """Queue /start, quiz answers and /progress in random order; returns replies expected."""
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
    return len(work)


def queue_echo_batch(control: FakeBotAPIControl, users: int, size: int, rng: random.Random) -> int:
    control.reset()
    for _ in range(size):
        control.send_text(rng.randint(1, users), "hello there")
    return size


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

    async def timed_handler(update: Update, context: Any) -> None:
        t = time.perf_counter()
        await original_handler(update, context)
        timings.handler.append(time.perf_counter() - t)

    async def timed_run(self: Database, work: Any) -> Any:
        t = time.perf_counter()
        try:
            return await original_run(self, work)
        finally:
            timings.database.append(time.perf_counter() - t)

    async def timed_request(self: HTTPXRequest, *args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        try:
            return await original_request(self, *args, **kwargs)
        finally:
            if "getUpdates" not in str(args[0] if args else kwargs.get("url")):
                timings.http.append(time.perf_counter() - t)

    quiz_handlers.poll_answer = timed_handler  # type: ignore[assignment]
    Database.run = timed_run  # type: ignore[method-assign]
    HTTPXRequest.do_request = timed_request  # type: ignore[method-assign]

    def restore() -> None:
        quiz_handlers.poll_answer = original_handler  # type: ignore[assignment]
        Database.run = original_run  # type: ignore[method-assign]
        HTTPXRequest.do_request = original_request  # type: ignore[method-assign]

    return restore


async def trace_answers(
    base_url: str, control: FakeBotAPIControl, db_url: str, bank: Any, count: int
) -> Timings:
    """Answer `count` quiz polls one at a time and time handler, database and HTTP."""
    timings = Timings([], [], [])
    restore = instrument(timings)
    try:
        app = bot_application(base_url, db_url, bank)
        await start(app)
        users = list(range(20_001, 20_001 + count))
        polls = await prepare_quizzes(app, control, users)
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        timings.handler.clear(), timings.database.clear(), timings.http.clear()
        for n, (uid, poll) in enumerate(polls.items(), start=1):
            control.answer_poll(uid, poll["poll_id"], [poll["correct_option_ids"][0]])
            await asyncio.to_thread(_wait_handled, timings, n)
        await stop(app)
    finally:
        restore()
    return timings


def _wait_handled(timings: Timings, n: int) -> None:
    deadline = time.monotonic() + 30
    while len(timings.handler) < n and time.monotonic() < deadline:
        time.sleep(0.001)


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
    with tempfile.TemporaryDirectory() as folder, fake_bot_api() as (base_url, control):
        db_url = f"sqlite:///{folder}/bench.sqlite3"
        migrate.upgrade(db_url)
        seeding = Database(db_url)
        seed(seeding, args.users, [q.id for q in bank.questions])
        seeding.close()

        bot_rates, echo_rates, echo_concurrent_rates = [], [], []
        for round_number in range(args.rounds):
            app = bot_application(base_url, db_url, bank)
            await start(app)
            quiz_users = rng.sample(range(1, args.users + 1), args.batch // 3)
            polls = await prepare_quizzes(app, control, quiz_users)
            expected = queue_mixed_batch(control, polls, args.users, args.batch, rng)
            bot_rates.append(expected / await drain(app, control, expected))
            await stop(app)
            for concurrent, rates in ((False, echo_rates), (True, echo_concurrent_rates)):
                echo = echo_application(base_url, concurrent)
                await start(echo)
                expected = queue_echo_batch(control, args.users, args.batch, rng)
                rates.append(expected / await drain(echo, control, expected))
                await stop(echo)
            print(
                f"round {round_number + 1}: bot {bot_rates[-1]:.0f}/s, echo {echo_rates[-1]:.0f}/s"
            )

        timings = await trace_answers(base_url, control, db_url, bank, args.trace)

    bot, echo, echo_c = (
        statistics.median(r) for r in (bot_rates, echo_rates, echo_concurrent_rates)
    )
    handled = max(len(timings.handler), 1)
    per_answer = statistics.mean(timings.handler) * 1000
    database_ms = sum(timings.database) / handled * 1000
    http_ms = sum(timings.http) / handled * 1000
    rest = per_answer - database_ms - http_ms
    print_rows(
        f"{args.batch} updates per round, {args.users} users; medians of {args.rounds} rounds",
        ("updates/s", "vs echo"),
        [
            ("echo bot (PTB defaults: one update at a time)", f"{echo:.0f}", "1.00"),
            ("echo bot (PTB concurrent_updates=True)", f"{echo_c:.0f}", f"{echo_c / echo:.2f}"),
            ("this bot: /start, quiz answers, /progress", f"{bot:.0f}", f"{bot / echo:.2f}"),
        ],
    )
    print(f"this bot vs the concurrent echo bot: {bot / echo_c:.2f}")
    print_rows(
        f"one quiz answer, traced {len(timings.handler)} times one at a time",
        ("ms", "share", "calls"),
        [
            ("handler total (wall)", f"{per_answer:.2f}", "100%", ""),
            (
                "database (worker thread, incl. hop)",
                f"{database_ms:.2f}",
                f"{database_ms / per_answer:.0%}",
                f"{len(timings.database) / handled:.1f}",
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


def print_rows(title: str, headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    print(f"\n{title}")
    print(f"{'':<46}" + "".join(f"{h:>10}" for h in headers))
    for label, *cells in rows:
        print(f"{label:<46}" + "".join(f"{c:>10}" for c in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=1200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--trace", type=int, default=200)
    asyncio.run(measure(parser.parse_args()))


if __name__ == "__main__":
    main()
