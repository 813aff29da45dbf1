"""The heartbeat file and `python -m bot health`: what a container's HEALTHCHECK relies on."""

from __future__ import annotations

import http.server
import os
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.cli_health import health_url
from bot.config import load_settings
from bot.core.heartbeat import STALE_AFTER, data_folder, heartbeat_file, staleness
from bot.telegram.heartbeat import beat


class Updater:
    def __init__(self, running: bool) -> None:
        self.running = running


@pytest.mark.parametrize(
    ("url", "folder"),
    [
        ("sqlite:///data/bot.sqlite3", Path("data")),
        ("sqlite:////data/bot.sqlite3", Path("/data")),
        ("sqlite+pysqlite:////var/lib/bot/bot.sqlite3?timeout=5", Path("/var/lib/bot")),
        ("sqlite://", Path("data")),
        ("sqlite:///:memory:", Path("data")),
        ("postgresql+psycopg://bot:secret@db/bot", Path("data")),
    ],
)
def test_the_heartbeat_lives_in_the_data_folder(url: str, folder: Path) -> None:
    assert data_folder(url) == folder
    assert heartbeat_file(url) == folder / "heartbeat"


def test_staleness_allows_two_missed_beats_not_three() -> None:
    assert staleness(timedelta(0)) is None
    assert staleness(STALE_AFTER) is None
    assert "ago" in (staleness(STALE_AFTER + timedelta(seconds=1)) or "")
    assert "no heartbeat" in (staleness(None) or "")
    assert "future" in (staleness(-timedelta(minutes=5)) or "")


def test_beat_touches_the_file_while_polling_runs(tmp_path: Path) -> None:
    path = tmp_path / "new-folder" / "heartbeat"
    assert beat(path, Updater(running=True))
    assert path.exists()
    assert beat(path, None)  # webhook mode: no updater, the loop turning is enough


def test_beat_stays_silent_once_polling_stopped(tmp_path: Path) -> None:
    path = tmp_path / "heartbeat"
    assert not beat(path, Updater(running=False))
    assert not path.exists()


def test_an_unwritable_data_folder_is_logged_not_raised(tmp_path: Path, caplog) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert not beat(blocker / "heartbeat", None)  # its "folder" is a file
    assert "heartbeat: cannot write" in caplog.text


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    return tmp_path / "heartbeat"


def age_file(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_health_passes_on_a_fresh_heartbeat(data: Path, capsys) -> None:
    data.touch()
    assert main(["health"]) == 0
    assert capsys.readouterr().out.strip() == "healthy"


def test_health_fails_without_a_heartbeat(data: Path, capsys) -> None:
    assert main(["health"]) == 1
    assert capsys.readouterr().err.startswith("unhealthy: no heartbeat yet")


def test_health_fails_on_a_stale_heartbeat(data: Path, capsys) -> None:
    data.touch()
    age_file(data, STALE_AFTER.total_seconds() + 5)
    assert main(["health"]) == 1
    assert "unhealthy: last heartbeat" in capsys.readouterr().err


class Probe(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def webhook_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[Probe]]:
    handler = type("ProbeOnce", (Probe,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("WEBHOOK_LISTEN", "0.0.0.0")  # asked on loopback
    monkeypatch.setenv("WEBHOOK_PORT", str(server.server_address[1]))
    try:
        yield handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_health_webhook_asks_healthz(data: Path, webhook_server: type[Probe], capsys) -> None:
    data.touch()
    assert main(["health", "--webhook"]) == 0
    webhook_server.status = 503
    assert main(["health", "--webhook"]) == 1
    assert "/healthz answered 503" in capsys.readouterr().err


def test_health_webhook_without_a_server_fails(data: Path, monkeypatch, capsys) -> None:
    data.touch()
    monkeypatch.setenv("WEBHOOK_LISTEN", "127.0.0.1")
    monkeypatch.setenv("WEBHOOK_PORT", "9")  # discard: nothing listens there
    assert main(["health", "--webhook"]) == 1
    assert "cannot be reached" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("listen", "url"),
    [
        ("0.0.0.0", "http://127.0.0.1:8443/healthz"),
        ("::", "http://[::1]:8443/healthz"),
        ("10.1.2.3", "http://10.1.2.3:8443/healthz"),
    ],
)
def test_health_asks_where_the_webhook_server_listens(listen: str, url: str) -> None:
    settings = load_settings(webhook_listen=listen, webhook_port=8443)
    assert health_url(settings) == url
