"""Daily tips at 100,000 subscribers in SQLite, all due at the same minute.

Measures, against the fake Bot API in its own process:
- the due query (the engine's batch query, the whole 100k wave, and a quiet minute);
- the achieved send rate of `python -m bot tips send-due` as a fraction of TIPS_RATE_LIMIT,
  with the fake enforcing Telegram's ~30 messages/s (429s counted);
- peak RSS of the sending process, over a long high-rate run (20,000 sends, no cap) that
  stands in for the hour-long full run.

Run: .venv/bin/python -m bench.daily_tips [--subscribers 100000] [--rate-seconds 30]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time as time_module
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from bot.storage import migrate
from bot.storage.database import Database
from bot.storage.repositories import subscriptions
from bot.storage.tables import TIP_SUBSCRIPTIONS, USERS

TOKEN = "123456:BENCH-token"
CAP = 30.0


def populate(database: Database, count: int, due_at: datetime) -> None:
    """Users and subscriptions in one transaction of two executemany INSERTs."""
    user_rows = [{"id": i, "created_at": due_at, "reachable": True} for i in range(1, count + 1)]
    sub_rows = [
        {
            "user_id": i,
            "send_time": time(0, 0),
            "active": True,
            "next_due_at": due_at,
            "updated_at": due_at,
        }
        for i in range(1, count + 1)
    ]
    with database.transaction() as connection:
        connection.execute(insert(USERS), user_rows)
        connection.execute(insert(TIP_SUBSCRIPTIONS), sub_rows)


def timed(work: Any, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time_module.perf_counter()
        work()
        samples.append(time_module.perf_counter() - start)
    return statistics.median(samples) * 1000


def due_query_ms(database: Database, now: datetime) -> dict[str, float]:
    def batch(limit: int) -> Any:
        return lambda: database.run_sync(lambda s: subscriptions.due(s, now, limit))

    def whole_wave() -> None:
        statement = select(TIP_SUBSCRIPTIONS.c.user_id).where(
            TIP_SUBSCRIPTIONS.c.active, TIP_SUBSCRIPTIONS.c.next_due_at <= now
        )
        database.run_sync(lambda s: s.scalars(statement).all())

    def count_wave() -> None:
        statement = select(func.count()).where(
            TIP_SUBSCRIPTIONS.c.active, TIP_SUBSCRIPTIONS.c.next_due_at <= now
        )
        database.run_sync(lambda s: s.scalar(statement))

    quiet = now - timedelta(hours=1)
    return {
        "whole wave: how many are due": timed(count_wave, 21),
        "batch of 3 (25/s)": timed(batch(3), 200),
        "batch of 100": timed(batch(100), 100),
        "whole wave: all 100k ids into Python": timed(whole_wave, 7),
        "quiet minute": timed(
            lambda: database.run_sync(lambda s: subscriptions.due(s, quiet, 100)), 200
        ),
    }


# ------------------------------------------------------------------------- the fake server


def serve_fake(users: int, cap: float | None) -> None:
    """Child mode: the fake Bot API with `users` chats already known (no bulk control API)."""
    import signal

    from tests.fakes.bot_api import FakeBotAPI

    api = FakeBotAPI(rate_cap=cap)
    for user_id in range(1, users + 1):
        api.state.add_user(user_id)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with api:
        print(f"READY {api.url}", flush=True)
        while not stop.wait(0.2):
            pass


def start_fake(users: int, cap: float | None) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "bench.daily_tips", "--serve-fake", str(users)]
    if cap:
        command += ["--cap", str(cap)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith("READY "):
        raise RuntimeError(f"fake did not start: {line!r}")
    return process, line.split()[1]


def fake_stats(url: str) -> dict[str, Any]:
    from tests.fakes.control import FakeBotAPIControl

    return FakeBotAPIControl(url).stats()


class PeakMemory:
    """VmHWM (peak RSS) of a child, sampled from /proc while it runs.

    Not wait4's ru_maxrss: that counts the bench's own 100k-row memory, which the child
    inherits between fork and exec.
    """

    def __init__(self, pid: int) -> None:
        self.kib = 0
        self._path = Path(f"/proc/{pid}/status")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            try:
                text = self._path.read_text()
            except OSError:
                return
            match = re.search(r"VmHWM:\s+(\d+) kB", text)
            if match:
                self.kib = max(self.kib, int(match.group(1)))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def send_due(
    db_url: str, api_url: str, rate: float, limit: int, global_rate: float = 30.0
) -> dict[str, float]:
    """Run the real CLI; return its counts, send rate and peak RSS (from wait4)."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": f"{api_url}/bot",
        "DATABASE_URL": db_url,
        "TIPS_RATE_LIMIT": str(rate),
        "TELEGRAM_RATE_LIMIT": str(global_rate),
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "bot", "tips", "send-due", "--limit", str(limit)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    peak = PeakMemory(process.pid)
    output, _ = process.communicate()
    status = process.returncode
    peak.stop()
    if status != 0:
        raise RuntimeError(f"send-due failed ({status}): {output}")
    numbers = dict(re.findall(r"(\w+)=([\d.]+)", output))
    return {
        "sent": float(numbers["sent"]),
        "failed": float(numbers["failed"]),
        "seconds": float(numbers["send_seconds"]),
        "rate": float(numbers["rate"]),
        "rss_mb": peak.kib / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--rate-seconds", type=float, default=30.0)
    parser.add_argument("--volume", type=int, default=20_000)
    parser.add_argument("--serve-fake", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--cap", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_fake is not None:
        serve_fake(args.serve_fake, args.cap)
        return 0

    with tempfile.TemporaryDirectory() as folder:
        db_url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        migrate.upgrade(db_url)
        database = Database(db_url)
        now = datetime.now(UTC)
        populate(database, args.subscribers, now - timedelta(minutes=1))
        queries = due_query_ms(database, now)
        database.close()

        rows: list[tuple[str, str, str, str]] = []
        for name, ms in queries.items():
            rows.append((f"due query: {name}", f"{ms:.2f} ms", "< 50 ms", f"{ms / 50:.2f}x"))

        fake, url = start_fake(args.subscribers, CAP)
        try:
            for rate in (25.0, 30.0):
                limit = int(rate * args.rate_seconds)
                result = send_due(db_url, url, rate, limit)
                fraction = result["rate"] / rate
                rows.append(
                    (
                        f"send rate, limit {rate:g}/s, cap {CAP:g}/s ({int(result['sent'])} msgs)",
                        f"{result['rate']:.2f}/s",
                        ">= 95% of limit",
                        f"{fraction:.1%}",
                    )
                )
                rows.append(
                    (
                        "  peak RSS of that pass",
                        f"{result['rss_mb']:.0f} MB",
                        "< 200 MB",
                        f"{result['rss_mb'] / 200:.2f}x",
                    )
                )
            stats = fake_stats(url)
            rows.append(("429 answers from the fake's cap", str(stats["rate_limited"]), "0", ""))
        finally:
            fake.terminate()
            fake.wait()

        fake, url = start_fake(args.subscribers, None)
        try:
            volume = send_due(db_url, url, 1000.0, args.volume, global_rate=0.0)
        finally:
            fake.terminate()
            fake.wait()
        rows.append(
            (
                f"volume: {int(volume['sent'])} msgs, limit 1000/s, no cap",
                f"{volume['rate']:.0f}/s",
                "",
                "",
            )
        )
        rows.append(
            (
                "  peak RSS at volume",
                f"{volume['rss_mb']:.0f} MB",
                "< 200 MB",
                f"{volume['rss_mb'] / 200:.2f}x",
            )
        )
        full_minutes = args.subscribers / (30.0 * 0.99) / 60
        rows.append(
            (
                f"extrapolated full run ({args.subscribers} at 30/s)",
                f"{full_minutes:.0f} min",
                "",
                "",
            )
        )

    width = max(len(row[0]) for row in rows)
    print(f"{'measure':<{width}}  {'value':>12}  {'target':>16}  {'vs target':>9}")
    for name, value, target, ratio in rows:
        print(f"{name:<{width}}  {value:>12}  {target:>16}  {ratio:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
