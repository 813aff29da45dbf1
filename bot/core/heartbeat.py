"""Where the heartbeat file lives and when it counts as stale: shared by the job and `health`.

Long polling has no port a container engine could probe, so the running bot touches a file every
`INTERVAL` and `python -m bot health` reads its age. The file sits in the data folder (next to
the SQLite database, or `data/` under the working directory otherwise), the one place the bot
may write in any deployment.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

FILE_NAME = "heartbeat"
INTERVAL = timedelta(seconds=30)
# Three missed beats: one late beat on a busy loop is not an outage.
STALE_AFTER = 3 * INTERVAL
DEFAULT_DATA_FOLDER = Path("data")  # where the default DATABASE_URL keeps its SQLite file


def heartbeat_file(database_url: str) -> Path:
    """The heartbeat's path for this DATABASE_URL (relative paths follow the working directory)."""
    return data_folder(database_url) / FILE_NAME


def data_folder(database_url: str) -> Path:
    """The SQLite file's folder; `data/` for PostgreSQL or an in-memory database."""
    parts = urlsplit(database_url)
    if not parts.scheme.startswith("sqlite"):
        return DEFAULT_DATA_FOLDER
    # sqlite:///relative/file and sqlite:////absolute/file: the path after the third slash.
    database = parts.path.removeprefix("/")
    if not database or database == ":memory:":
        return DEFAULT_DATA_FOLDER
    return Path(database).parent


def staleness(age: timedelta | None) -> str | None:
    """Why a heartbeat of this age (None: no file) is unhealthy, or None when it is fresh."""
    if age is None:
        return "no heartbeat yet: the bot is not running, or has not finished starting"
    if age > STALE_AFTER:
        return (
            f"last heartbeat {int(age.total_seconds())} s ago "
            f"(more than {int(STALE_AFTER.total_seconds())} s): the bot is stuck or stopped"
        )
    if age < -INTERVAL:  # a clock step backwards makes every file look new; say so instead
        return "the heartbeat is from the future: check the system clock"
    return None
