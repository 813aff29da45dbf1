"""Webhook mode end to end: the real Application behind its own HTTP server, fed by the fake.

What Telegram and a load balancer see: a delivery is answered with a reply, a forged or
garbled POST changes nothing, a redelivered update is handled once (across a restart and
across replicas on one database), /healthz follows the database, and bad settings stop
`run --webhook` with one line.
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.__main__ import main
from bot.app import build_application
from bot.config import load_settings
from bot.core.content import ContentBank
from bot.flows import updates as update_flow
from bot.storage import migrate
from bot.storage.database import Database
from bot.storage.tables import PROCESSED_UPDATES
from bot.telegram.services import Services
from bot.telegram.webhook.health import HealthCheck
from bot.telegram.webhook.intake import UpdateIntake
from bot.telegram.webhook.server import WebhookServer
from tests.fakes.bot_api import FakeBotAPI
from tests.integration.conftest import TOKEN, USER, FakeClock, running_bot
from tests.integration.webhook_bot import (
    PUBLIC_ORIGIN,
    SECRET,
    WEBHOOK_PATH,
    WebhookHarness,
    get_json,
    post_update,
    running_webhook_bot,
    webhook_settings,
)

WELCOME = "how mass surveillance works"  # words of the /start reply
# Port 1 on loopback: nothing listens there, so every connection is refused at once.
UNREACHABLE_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:1/bot"


def start_update(api: FakeBotAPI, update_id: int, user_id: int = USER) -> dict[str, Any]:
    """A /start message as Telegram would POST it (the fake knows the chat, so replies work)."""
    user = api.add_user(user_id)
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "from": user,
            "chat": {"id": user_id, "type": "private", "first_name": user["first_name"]},
            "date": int(time.time()),
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


def replies_to(api: FakeBotAPI, user_id: int = USER) -> int:
    return sum(1 for r in api.calls("sendMessage") if r.chat_id == user_id and r.ok)


async def failed_deliveries(api: FakeBotAPI, count: int) -> None:
    for _ in range(500):
        if sum(1 for attempt in api.webhook_attempts if not attempt.ok) >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"expected {count} failed deliveries: {api.webhook_attempts}")


def processed_count(bot: WebhookHarness) -> int:
    count = select(func.count()).select_from(PROCESSED_UPDATES)
    return int(bot.services.database.run_sync(lambda c: c.scalar(count)) or 0)


async def test_start_over_the_webhook_gets_its_reply(
    fake_api: FakeBotAPI, database_url: str, content_bank: ContentBank, clock: FakeClock
) -> None:
    async with running_webhook_bot(fake_api, database_url, content_bank, clock) as bot:
        reply = await bot.say("/start")
        assert WELCOME in reply.params["text"].lower()
        registered = fake_api.calls("setWebhook")[-1].params
        assert registered["url"] == PUBLIC_ORIGIN + WEBHOOK_PATH
        assert registered["secret_token"] == SECRET
        assert set(registered["allowed_updates"]) >= {"message", "callback_query", "poll_answer"}
        assert [a.status for a in fake_api.webhook_attempts] == [200]
        assert fake_api.calls("getUpdates") == []
    # A clean stop keeps the webhook, so Telegram holds updates for the next start.
    assert fake_api.calls("deleteWebhook") == []
    assert fake_api.state.webhook_url == PUBLIC_ORIGIN + WEBHOOK_PATH


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x", SECRET[:-1]])
async def test_a_wrong_or_missing_secret_is_refused_and_changes_nothing(
    fake_api: FakeBotAPI,
    database_url: str,
    content_bank: ContentBank,
    clock: FakeClock,
    secret: str | None,
) -> None:
    async with running_webhook_bot(fake_api, database_url, content_bank, clock) as bot:
        update = start_update(fake_api, 7_001)
        assert await bot.post(update, secret=secret) == 403
        await bot.wait_until_quiet()
        assert replies_to(fake_api) == 0
        assert processed_count(bot) == 0
        # Nothing was claimed: the genuine delivery of the same update is still handled.
        assert await bot.post(update) == 200
        await fake_api.await_for("sendMessage", lambda r: r.chat_id == USER)
        await bot.wait_until_quiet()
        assert replies_to(fake_api) == 1


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b"{}", b'{"update_id": "7002"}', b'{"update_id": true}', b"\xff\xfe"],
)
async def test_a_body_that_is_not_an_update_gets_400(
    fake_api: FakeBotAPI,
    database_url: str,
    content_bank: ContentBank,
    clock: FakeClock,
    body: bytes,
) -> None:
    async with running_webhook_bot(fake_api, database_url, content_bank, clock) as bot:
        assert await bot.post(body) == 400
        await bot.wait_until_quiet()
        assert processed_count(bot) == 0
        assert fake_api.calls("sendMessage") == []


async def test_the_same_update_posted_twice_gets_one_reply(
    fake_api: FakeBotAPI, database_url: str, content_bank: ContentBank, clock: FakeClock
) -> None:
    async with running_webhook_bot(fake_api, database_url, content_bank, clock) as bot:
        update = start_update(fake_api, 7_003)
        assert await bot.post(update) == 200
        assert await bot.post(update) == 200  # Telegram must not retry a duplicate forever
        await fake_api.await_for("sendMessage", lambda r: r.chat_id == USER)
        await bot.wait_until_quiet()
        await asyncio.sleep(0.2)  # room for a second reply, if one were coming
        assert replies_to(fake_api) == 1


async def test_replicas_on_one_database_handle_an_update_once(
    fake_api: FakeBotAPI, database_url: str, content_bank: ContentBank, clock: FakeClock
) -> None:
    """A load balancer may hand a redelivery to another replica: the database decides."""
    update = start_update(fake_api, 7_004)
    async with (
        running_webhook_bot(fake_api, database_url, content_bank, clock) as first,
        running_webhook_bot(fake_api, database_url, content_bank, clock) as second,
    ):
        statuses = await asyncio.gather(first.post(update), second.post(update))
        assert list(statuses) == [200, 200]
        await fake_api.await_for("sendMessage", lambda r: r.chat_id == USER)
        await first.wait_until_quiet()
        await second.wait_until_quiet()
        await asyncio.sleep(0.2)
        assert replies_to(fake_api) == 1


async def test_a_restart_loses_no_update_and_repeats_none(
    fake_api: FakeBotAPI, database_url: str, content_bank: ContentBank, clock: FakeClock
) -> None:
    """Updates sent while the bot is down wait at Telegram; one handled before is not redone."""
    update = start_update(fake_api, 7_005)
    async with running_webhook_bot(fake_api, database_url, content_bank, clock) as bot:
        assert await bot.post(update) == 200
        await fake_api.await_for("sendMessage", lambda r: r.chat_id == USER)
        await bot.wait_until_quiet()
    fake_api.redirect_webhook(PUBLIC_ORIGIN, "http://127.0.0.1:1")  # the bot is down
    fake_api.send_text(USER, "/help")
    await failed_deliveries(fake_api, 2)  # Telegram keeps retrying; the update stays queued
    async with running_webhook_bot(fake_api, database_url, content_bank, clock) as bot:
        await fake_api.await_for("sendMessage", lambda r: r.chat_id == USER, count=2)
        await bot.wait_until_quiet()
        assert await bot.post(update) == 200  # a late redelivery of the first update
        await bot.wait_until_quiet()
        await asyncio.sleep(0.2)
        assert replies_to(fake_api) == 2  # /start once, then /help


async def test_ids_telegram_can_no_longer_redeliver_are_pruned(
    fake_api: FakeBotAPI, database_url: str, content_bank: ContentBank, clock: FakeClock
) -> None:
    migrate.upgrade(database_url)
    database = Database(database_url)
    try:
        database.run_sync(lambda c: update_flow.accept(c, 1, clock.now - timedelta(days=2)))
        database.run_sync(lambda c: update_flow.accept(c, 2, clock.now - timedelta(hours=1)))
    finally:
        database.close()
    ids = select(PROCESSED_UPDATES.c.update_id)
    async with running_webhook_bot(fake_api, database_url, content_bank, clock) as bot:
        for _ in range(500):  # the pruning job runs at start, then hourly
            kept = bot.services.database.run_sync(lambda c: list(c.scalars(ids)))
            if kept == [2]:
                break
            await asyncio.sleep(0.01)
        assert kept == [2]


async def test_long_polling_still_deletes_the_webhook(
    fake_api: FakeBotAPI, database_url: str, content_bank: ContentBank, clock: FakeClock
) -> None:
    """Back to `run` without --webhook: polling removes the webhook and gets the updates."""
    async with running_webhook_bot(fake_api, database_url, content_bank, clock, redirect=False):
        pass
    assert fake_api.state.webhook_url
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        reply = await bot.say("/start")
        assert WELCOME in reply.params["text"].lower()
    assert fake_api.calls("deleteWebhook")
    assert fake_api.state.webhook_url == ""


async def test_healthz_is_200_while_the_database_answers(
    fake_api: FakeBotAPI, database_url: str, content_bank: ContentBank, clock: FakeClock
) -> None:
    async with running_webhook_bot(fake_api, database_url, content_bank, clock) as bot:
        assert await bot.get("/healthz") == (200, {"status": "ok"})


async def test_healthz_is_503_and_updates_are_refused_when_the_database_is_down(
    fake_api: FakeBotAPI, content_bank: ContentBank
) -> None:
    """A database nobody listens for: the balancer stops sending, Telegram retries later."""
    database = Database(UNREACHABLE_POSTGRES)
    settings = webhook_settings(fake_api, UNREACHABLE_POSTGRES)
    services = Services(settings, content_bank, database)
    app = build_application(services, polling=False)
    server = WebhookServer(
        UpdateIntake(app, services, SECRET), HealthCheck(database), settings.webhook_path
    )
    root = f"http://127.0.0.1:{server.listen('127.0.0.1', 0)}"
    try:
        assert await get_json(root + "/healthz") == (503, {"status": "unavailable"})
        assert await post_update(root, start_update(fake_api, 7_006)) == 503
        assert app.update_queue.empty()
    finally:
        await server.close()
        database.close()


@pytest.mark.parametrize(
    ("environment", "variable"),
    [
        ({"WEBHOOK_URL": PUBLIC_ORIGIN + WEBHOOK_PATH}, "WEBHOOK_SECRET: required"),
        ({"WEBHOOK_SECRET": SECRET}, "WEBHOOK_URL: required"),
        ({"WEBHOOK_SECRET": "has spaces and !"}, "WEBHOOK_SECRET: must be"),
        ({"WEBHOOK_SECRET": "x" * 257}, "WEBHOOK_SECRET: must be"),
        ({"WEBHOOK_PORT": "0"}, "WEBHOOK_PORT:"),
        ({"WEBHOOK_PORT": "65536"}, "WEBHOOK_PORT:"),
        ({"WEBHOOK_URL": "http://bot.example.org/hook"}, "WEBHOOK_URL: Telegram posts only"),
    ],
)
def test_bad_webhook_settings_stop_with_one_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    environment: dict[str, str],
    variable: str,
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'untouched.sqlite3'}")
    good = {"WEBHOOK_URL": PUBLIC_ORIGIN + WEBHOOK_PATH, "WEBHOOK_SECRET": SECRET}
    for name, value in {**good, **environment}.items():
        monkeypatch.setenv(name, value)
    if "required" in variable:  # the other variable of the pair is the missing one
        monkeypatch.delenv(variable.split(":")[0])
    assert main(["run", "--webhook"]) == 2
    err = capsys.readouterr().err
    problems = [line for line in err.splitlines() if line.startswith("WEBHOOK_")]
    assert len(problems) == 1, err
    assert problems[0].startswith(variable)
    assert "Traceback" not in err
    assert "has spaces" not in err  # a secret is never echoed, even a malformed one
    assert not (tmp_path / "untouched.sqlite3").exists()  # stopped before migrating


def test_good_webhook_settings_are_accepted() -> None:
    settings = load_settings(
        webhook_url=PUBLIC_ORIGIN + WEBHOOK_PATH, webhook_secret=SECRET, webhook_port="8443"
    )
    assert (settings.webhook_path, settings.webhook_port) == (WEBHOOK_PATH, 8443)
    assert settings.webhook_listen == "0.0.0.0"
    assert SECRET not in repr(settings)
