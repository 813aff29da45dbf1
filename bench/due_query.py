"""The due query at 1,000,000 subscribers on PostgreSQL, with EXPLAIN ANALYZE.

Rows come from generate_series in a scratch database (created and dropped here): a million
users, 90% with an active subscription, their next instants spread over a day, so about 1%
are due at the measured moment. Times the batch the engine runs (`claims_per_batch()` at the
default rate, and 100), the quiet case (nobody due), and prints the plan of the batch.

Run: .venv/bin/python -m bench.due_query [--subscribers 1000000] [--url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import statistics
import time as time_module
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url

from bot.core.delivery import DeliveryPolicy
from bot.storage import migrate
from bot.storage.database import Database
from bot.storage.repositories import subscriptions

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TARGET_MS = 50.0

POPULATE = [
    """INSERT INTO users (id, created_at, reachable)
       SELECT i, :now, true FROM generate_series(1, :count) AS i""",
    # Next instants spread evenly over the coming day, 1% of them already past: the wave.
    """INSERT INTO tip_subscriptions (user_id, send_time, active, next_due_at, updated_at)
       SELECT i, time '08:00', i % 10 <> 0,
              :now + ((i % 100) - 1) * interval '864 seconds', :now
       FROM generate_series(1, :count) AS i""",
    "ANALYZE users",
    "ANALYZE tip_subscriptions",
]


def timed_ms(work: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time_module.perf_counter()
        work()
        samples.append(time_module.perf_counter() - start)
    return statistics.median(samples) * 1000


def explain(database: Database, now: datetime, limit: int) -> str:
    """EXPLAIN ANALYZE of exactly the statement the engine runs, with its bind values."""

    def work(connection: Connection) -> str:
        compiled = subscriptions.DUE_QUERY.compile(dialect=database.engine.dialect)
        sql = f"EXPLAIN (ANALYZE, BUFFERS) {compiled}"
        rows = connection.exec_driver_sql(sql, {"now": now, "limit": limit})
        return "\n".join(str(row[0]) for row in rows)

    return database.run_sync(work)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=1_000_000)
    parser.add_argument("--url", default=DEFAULT_URL, help="a server where we may CREATE DATABASE")
    args = parser.parse_args()
    base = make_url(args.url)
    name = f"bench_due_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        migrate.upgrade(url)
        database = Database(url)
        now = datetime.now(UTC)
        started = time_module.perf_counter()
        with database.transaction() as connection:
            for statement in POPULATE:
                connection.execute(text(statement), {"now": now, "count": args.subscribers})
        built = time_module.perf_counter() - started
        batch = DeliveryPolicy().claims_per_batch()

        def due(at: datetime, limit: int) -> Callable[[], object]:
            return lambda: database.run_sync(lambda c: subscriptions.due(c, at, limit))

        rows = [
            (f"batch of {batch} (the engine's, at 25/s)", timed_ms(due(now, batch), 200)),
            ("batch of 100", timed_ms(due(now, 100), 100)),
            ("quiet (nobody due)", timed_ms(due(now - timedelta(days=1), batch), 200)),
        ]
        print(f"\n{args.subscribers:,} subscribers ({built:.1f} s to generate), PostgreSQL")
        print(f"{'due query':42} {'median':>10} {'target':>10}")
        for label, ms in rows:
            print(f"{label:42} {ms:>8.2f} ms {'< 50 ms':>10}")
        plan = explain(database, now, batch)
        print("\nEXPLAIN ANALYZE (batch):\n" + plan)
        print(f"\nuses ix_tip_subscriptions_due: {'ix_tip_subscriptions_due' in plan}")
        database.close()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
