"""Command line: `python -m bot run | chat | content check [DIR] | content schema | db upgrade`.

Every failure an operator can cause (no token, a bad setting, a broken content file) ends with a
plain message and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.cli_tips import add_tips_commands
from bot.config import Settings, SettingsError, load_settings
from bot.contentbank.schema import json_schema
from bot.core.content import ContentBank, Difficulty
from bot.logging_setup import configure_logging, redact
from bot.startup import load_content_or_report, prepare

EXIT_USAGE = 2

NO_TOKEN_HELP = """\
TELEGRAM_BOT_TOKEN is not set, so the bot cannot connect to Telegram.

To get a token:
  1. In Telegram, open a chat with @BotFather and send /newbot.
  2. Choose a name and a username ending in "bot"; BotFather replies with a token.
  3. Put it in a file named .env next to README.md:  TELEGRAM_BOT_TOKEN=<your token>
     (or export it in your shell), then run this command again.

To try the bot without Telegram, chat with it in this terminal:
  .venv/bin/python -m bot chat
"""


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"Configuration error:\n{exc}", file=sys.stderr)
        return EXIT_USAGE
    configure_logging(settings.log_level, secrets=(settings.token_value() or "",))
    handler = args.handler
    result: int = handler(settings, args)
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="start the bot (long polling)")
    run.set_defaults(handler=_run)
    chat = commands.add_parser("chat", help="try the bot in this terminal, without Telegram")
    chat.set_defaults(handler=_chat)
    content = commands.add_parser("content", help="work with the content bank")
    content_commands = content.add_subparsers(dest="content_command", required=True)
    check = content_commands.add_parser("check", help="validate the content bank")
    check.add_argument("directory", nargs="?", type=Path, help="default: CONTENT_DIR")
    check.set_defaults(handler=_content_check)
    schema = content_commands.add_parser("schema", help="print the JSON Schema of a content file")
    schema.set_defaults(handler=_content_schema)
    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="apply migrations").set_defaults(handler=_db_upgrade)
    add_tips_commands(commands)  # tips send-due
    return parser


def _content_check(settings: Settings, args: argparse.Namespace) -> int:
    directory: Path = args.directory or settings.content_dir
    bank = load_content_or_report(directory)
    if bank is None:
        return 1
    print(f"Content bank {directory}: OK")
    print(content_table(bank))
    return 0


def content_table(bank: ContentBank) -> str:
    """Counts per topic: explainer pages, questions by difficulty, tips."""
    header = (
        f"{'topic':<20}{'pages':>6}{'questions':>10}{'easy':>6}{'medium':>7}{'hard':>6}{'tips':>6}"
    )
    lines = [header]
    totals = [0] * 6
    for topic in bank.topics:
        explainer = bank.explainer_for(topic.id)
        questions = bank.questions_in(topic.id)
        row = [
            len(explainer.pages) if explainer else 0,
            len(questions),
            *(sum(1 for q in questions if q.difficulty == d) for d in Difficulty),
            sum(1 for tip in bank.tips if tip.topic == topic.id),
        ]
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        lines.append(
            f"{topic.id:<20}" + "".join(f"{n:>{w}}" for n, w in zip(row, WIDTHS, strict=True))
        )
    lines.append(
        f"{'total':<20}" + "".join(f"{n:>{w}}" for n, w in zip(totals, WIDTHS, strict=True))
    )
    return "\n".join(lines)


WIDTHS = (6, 10, 6, 7, 6, 6)


def _content_schema(settings: Settings, args: argparse.Namespace) -> int:
    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return 0


def _db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    from bot.storage import migrate

    migrate.upgrade(settings.database_url)
    print(f"Database is at revision {migrate.current_revision(settings.database_url)}")
    return 0


def _chat(settings: Settings, args: argparse.Namespace) -> int:
    prepared = prepare(settings)
    if prepared is None:
        return 1
    bank, database = prepared
    from bot.terminal.chat import TerminalChat

    try:
        TerminalChat(bank, database, settings).run()
    finally:
        database.close()
    return 0


def _run(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.token_value():
        print(NO_TOKEN_HELP, file=sys.stderr)
        return EXIT_USAGE
    prepared = prepare(settings)
    if prepared is None:
        return 1
    bank, database = prepared
    from telegram.error import InvalidToken, NetworkError

    from bot.app import build_application
    from bot.telegram.services import Services

    try:
        application = build_application(Services(settings, bank, database))
        application.run_polling(bootstrap_retries=3)  # ride out a brief network blip at start
    except InvalidToken:
        print("Telegram rejected TELEGRAM_BOT_TOKEN: check it with @BotFather.", file=sys.stderr)
        return 1
    except NetworkError as error:
        print(
            f"Could not reach the Bot API at {settings.telegram_api_base_url} "
            f"({type(error).__name__}: {redact(str(error))}). Check the network and "
            "TELEGRAM_API_BASE_URL, then start again.",
            file=sys.stderr,
        )
        return 1
    finally:
        database.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
