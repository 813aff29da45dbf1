"""`python -m bot health [--webhook]`: is the running bot alive? For a container's HEALTHCHECK.

Exit 0 when the heartbeat file is fresh (and, with --webhook, when GET /healthz answers 200),
1 with one line saying what is wrong otherwise. It reads a file and maybe asks one local URL,
so it is cheap enough to run every 30 seconds beside the bot.
"""

from __future__ import annotations

import argparse
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.config import HEALTH_PATH, Settings
from bot.core.heartbeat import heartbeat_file, staleness

WEBHOOK_TIMEOUT_SECONDS = 5.0
# A server listening on every address is asked on loopback, where the probe runs.
ANY_ADDRESS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}


def add_health_command(commands: Any) -> None:
    """Register `health` on the main parser's subcommands."""
    health = commands.add_parser("health", help="exit 0 if the running bot is alive")
    health.add_argument(
        "--webhook", action="store_true", help="also ask the webhook server's /healthz"
    )
    health.set_defaults(handler=health_command)


def health_command(settings: Settings, args: argparse.Namespace) -> int:
    path = heartbeat_file(settings.database_url)
    problem = staleness(heartbeat_age(path))
    if problem is None and args.webhook:
        problem = webhook_problem(health_url(settings))
    if problem is not None:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    print("healthy")
    return 0


def heartbeat_age(path: Path) -> timedelta | None:
    """How long ago the file was touched; None when there is none."""
    try:
        touched = path.stat().st_mtime
    except FileNotFoundError:
        return None
    return timedelta(seconds=time.time() - touched)


def health_url(settings: Settings) -> str:
    host = ANY_ADDRESS.get(settings.webhook_listen, settings.webhook_listen)
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.webhook_port}{HEALTH_PATH}"


def webhook_problem(url: str) -> str | None:
    """None when /healthz says 200; otherwise what it said, or why it could not be asked."""
    try:
        with urllib.request.urlopen(url, timeout=WEBHOOK_TIMEOUT_SECONDS):
            return None
    except urllib.error.HTTPError as error:
        return f"{url} answered {error.code} (the database does not answer)"
    except (OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        return f"{url} cannot be reached ({reason})"
