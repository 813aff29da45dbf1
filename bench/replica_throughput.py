"""Daily-tip throughput of 1, 2 and 3 `tips send-due` replicas on one PostgreSQL, limit lifted.

Each run gets a scratch database with `--subscribers` due subscribers (generate_series) and the
fake Bot API in its own process with no cap; every replica runs with TELEGRAM_RATE_LIMIT=0,
TIPS_RATE_LIMIT=1000 and SHARED_TIP_BUDGET=false, so nothing but the machine paces them. The
table shows messages/s delivered (the fake's first to last send), per replica, and the
database's commits per message and its share of a replica's time: when adding a replica stops
adding messages/s, the shared database (and the machine's cores) is the limit, not Telegram.

Run: .venv/bin/python -m bench.replica_throughput [--subscribers 6000] [--url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time as time_module
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from bench.daily_tips import TOKEN, fake_stats, start_fake
from bench.due_query import DEFAULT_URL
from bot.storage import migrate

POPULATE = [
    """INSERT INTO users (id, created_at, reachable)
       SELECT i, :now, true FROM generate_series(1, :count) AS i""",
    """INSERT INTO tip_subscriptions (user_id, send_time, active, next_due_at, updated_at)
       SELECT i, time '00:00', true, :now - interval '1 minute', :now
       FROM generate_series(1, :count) AS i""",
]
COMMITS = text("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")


def scratch_database(admin: Engine, base: Any, count: int) -> str:
    name = f"bench_replicas_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = str(base.set(database=name).render_as_string(hide_password=False))
    migrate.upgrade(url)
    engine = create_engine(url)
    with engine.begin() as connection:
        for statement in POPULATE:
            connection.execute(text(statement), {"now": datetime.now(UTC), "count": count})
    engine.dispose()
    return url


def commits(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(COMMITS) or 0)
    finally:
        engine.dispose()


def run(url: str, api_url: str, replicas: int) -> dict[str, float]:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": f"{api_url}/bot",
        "DATABASE_URL": url,
        "TIPS_RATE_LIMIT": "1000",
        "TELEGRAM_RATE_LIMIT": "0",
        "SHARED_TIP_BUDGET": "false",
        "LOG_LEVEL": "WARNING",
    }
    before_commits = commits(url)
    before = fake_stats(api_url)
    started = time_module.perf_counter()
    command = [sys.executable, "-m", "bot", "tips", "send-due"]
    workers = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(replicas)
    ]
    outputs = [worker.communicate()[0] for worker in workers]
    wall = time_module.perf_counter() - started
    if any(worker.returncode for worker in workers):
        raise RuntimeError(f"send-due failed: {outputs}")
    after = fake_stats(api_url)
    sends = after["sends"] - before["sends"]
    span = after["last_send_at"] - (after["first_send_at"] if not before["sends"] else 0)
    if before["sends"]:
        raise RuntimeError("expected a fresh fake per run")
    return {
        "sends": sends,
        "rate": sends / span if span > 0 else 0.0,
        "wall": wall,
        "commits_per_message": (commits(url) - before_commits) / max(1, sends),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=6000)
    parser.add_argument("--url", default=DEFAULT_URL)
    args = parser.parse_args()
    base = make_url(args.url)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    print(f"\n{args.subscribers:,} due subscribers, limit lifted, {os.cpu_count()} CPU cores")
    print(f"{'replicas':>8} {'msgs/s':>9} {'per replica':>12} {'wall s':>8} {'commits/msg':>12}")
    for replicas in (1, 2, 3):
        url = scratch_database(admin, base, args.subscribers)
        fake, api_url = start_fake(args.subscribers, None)
        try:
            result = run(url, api_url, replicas)
        finally:
            fake.terminate()
            fake.wait()
            name = make_url(url).database
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        print(
            f"{replicas:>8} {result['rate']:>9.0f} {result['rate'] / replicas:>12.0f} "
            f"{result['wall']:>8.1f} {result['commits_per_message']:>12.2f}"
        )
    admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
