"""/privacy, /mydata and /forget through the real Application, and what is left on disk; the
operator commands /stats and /reload, and what anyone else sees of them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, select
from sqlalchemy.engine import make_url

from bot.telegram.handlers.fallback import POINTER
from bot.telegram.handlers.privacy import EXPORT_FILENAME
from tests.conftest import CONTENT_DIR
from tests.integration.conftest import USER, BotHarness, running_bot

OPERATOR = 777
ZONE = "Pacific/Chatham"  # a zone nobody else in these tests uses


async def answer_one_quiz_question(bot: BotHarness, topic: str) -> str:
    """Start a quiz, answer its first poll right; the question id answered."""
    bot.api.send_text(USER, f"/quiz {topic}")
    await bot.api.await_for("sendPoll")
    await bot.wait_until_quiet()
    poll = bot.api.last_poll(USER)
    assert poll is not None
    assert poll.correct_option_id is not None
    question_id = await bot.services.database.run(lambda c: _question_of_poll(c, poll.poll_id))
    await bot.answer_current_poll(poll.correct_option_id)
    return question_id


def _question_of_poll(connection: Any, poll_id: str) -> str:
    from bot.storage.tables import QUIZ_POLLS

    found = connection.scalar(
        select(QUIZ_POLLS.c.question_id).where(QUIZ_POLLS.c.poll_id == poll_id)
    )
    assert isinstance(found, str)
    return found


def sent_document(bot: BotHarness) -> tuple[dict[str, Any], dict[str, Any]]:
    """The last document the bot sent the user: (its message, its parsed JSON)."""
    message = [m for m in bot.api.messages(USER) if "document" in m][-1]
    return message, json.loads(bot.api.uploaded(message["document"]["file_id"]))


def sqlite_bytes(database_url: str) -> bytes | None:
    """The database file and its WAL as they are on disk; None on PostgreSQL."""
    if make_url(database_url).get_backend_name() != "sqlite":
        return None
    path = Path(make_url(database_url).database or "")
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


async def test_journey_quiz_privacy_mydata_forget(fake_api, database_url, content_bank, clock):
    async with running_bot(
        fake_api, database_url, content_bank, clock, admin_user_ids=(OPERATOR,)
    ) as bot:
        question_id = await answer_one_quiz_question(bot, "cctv")
        await bot.say(f"/subscribe 08:30 {ZONE}")

        notice = (await bot.say("/privacy")).params["text"]
        assert "What I store about you" in notice
        assert "/mydata" in notice

        summary = (await bot.say("/mydata")).params["text"]
        message, document = sent_document(bot)
        assert message["document"]["file_name"] == EXPORT_FILENAME
        assert message["caption"]
        tables = document["tables"]
        assert tables["users"][0]["id"] == USER
        assert tables["users"][0]["timezone"] == ZONE
        logged = tables["answers"]
        assert [(a["question_id"], a["correct"]) for a in logged] == [(question_id, True)]
        assert logged[0]["answered_at"].startswith("2026-03-10T09:00:00")
        assert "answers: 1 row" in summary

        stored = sqlite_bytes(database_url)
        if stored is not None:  # the bytes check can see them while they are there
            assert ZONE.encode() in stored

        await bot.say("/forgetme")
        ask = bot.last_message()
        await bot.press(ask["message_id"], "forget:yes", expect="editMessageText")

        stored = sqlite_bytes(database_url)
        if stored is not None:
            assert ZONE.encode() not in stored
            assert question_id.encode() not in stored

        progress = await bot.say("/progress")
        assert "Nothing here yet" in progress.params["text"]
        assert (await bot.say("/stats")).params["text"] == POINTER
        assert (await bot.say("/reload")).params["text"] == POINTER


async def test_mydata_for_a_stranger_sends_no_file(fake_api, database_url, content_bank, clock):
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        reply = await bot.say("/mydata")
        assert "nothing to export" in reply.params["text"]
        assert fake_api.calls("sendDocument") == []
        reply = await bot.say("/mydata")  # asking created no row about them
        assert "nothing to export" in reply.params["text"]


async def test_no_name_username_or_message_text_is_stored(
    fake_api, database_url, content_bank, clock
):
    names = ("Zebulonia", "Quixmarchbank", "zq_unique_handle")
    fake_api.add_user(USER, names[0], last_name=names[1], username=names[2])
    said = "my flat is at Wisteria Lane 42"
    async with running_bot(fake_api, database_url, content_bank, clock) as bot:
        await bot.say("/start")
        await answer_one_quiz_question(bot, "cctv")
        await bot.say("/tip")
        await bot.say("/subscribe")
        await bot.say("07:15")  # typed input the bot parses
        await bot.say(said)
        assert fake_api.messages(USER)[0]["from"]["username"] == names[2]  # it was sent
        rows = await bot.services.database.run(_every_value)
    assert rows  # the journey stored something to search
    for needle in (*names, "Wisteria"):
        assert not [v for v in rows if needle.lower() in v.lower()], needle


def _every_value(connection: Any) -> list[str]:
    """Every value of every row of every table in the database, as text."""
    schema = MetaData()
    schema.reflect(connection)
    return [
        str(value)
        for table in schema.sorted_tables
        for row in connection.execute(select(table))
        for value in row
    ]


async def test_reload_swaps_a_valid_bank_and_keeps_the_old_one_when_broken(
    fake_api, database_url, content_bank, clock, tmp_path
):
    directory = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, directory)
    async with running_bot(
        fake_api,
        database_url,
        content_bank,
        clock,
        admin_user_ids=(OPERATOR,),
        content_dir=directory,
    ) as bot:
        dropped = sorted(
            p for p in directory.glob("*.yaml") if "\ntopics:" in f"\n{p.read_text()}"
        )[-1]
        dropped.unlink()
        reply = (await bot.say("/reload", user_id=OPERATOR)).params["text"]
        reloaded = bot.services.content
        assert reloaded is not content_bank
        assert len(reloaded.topics) == len(content_bank.topics) - 1
        assert f"{len(reloaded.topics)} topics, {len(reloaded.questions)} questions" in reply
        await bot.say("/learn")  # handlers read the new bank
        offered = " ".join(bot.buttons(bot.last_message()).values())
        (gone,) = {t.id for t in content_bank.topics} - {t.id for t in reloaded.topics}
        assert gone not in offered
        assert all(t.id in offered for t in reloaded.topics)

        (directory / "99-broken.yaml").write_text("topics:\n  - id: Not An Id!\n")
        reply = (await bot.say("/reload", user_id=OPERATOR)).params["text"]
        assert "problems" in reply
        assert "kept serving the previous one" in reply
        assert "99-broken.yaml" in reply
        assert bot.services.content is reloaded

        assert (await bot.say("/reload")).params["text"] == POINTER  # not an operator
        assert bot.services.content is reloaded


async def test_stats_shows_activity_to_operators(fake_api, database_url, content_bank, clock):
    async with running_bot(
        fake_api, database_url, content_bank, clock, admin_user_ids=(OPERATOR,)
    ) as bot:
        fake_api.send_text(USER, "/quiz cctv")
        await fake_api.await_for("sendPoll")
        for _ in range(5):
            await bot.answer_current_poll(fake_api.last_poll(USER).correct_option_id)
        report = (await bot.say("/stats", user_id=OPERATOR)).params["text"]
    assert "Active today: <b>1</b>" in report
    assert "Quizzes completed, last 7 days: <b>1</b>" in report
    assert "Hardest questions: <b>none with 20+ answers yet</b>" in report
