"""Command line: `python -m bot run | chat | health | content check [DIR] | content schema |
content stats | db upgrade | stats | tips send-due`.

Every failure an operator can cause (no token, a bad setting, a broken content file) ends with a
plain message and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from telegram.error import InvalidToken, NetworkError

from bot.cli_health import add_health_command
from bot.cli_operators import add_operator_commands
from bot.cli_stats import add_stats_command
from bot.cli_tips import add_tips_commands
from bot.config import Settings, SettingsError, load_settings, webhook_problems
from bot.contentbank.loader import ContentErrors, check_content
from bot.contentbank.report import content_table, cue_table, freshness_line
from bot.contentbank.schema import json_schema
from bot.core import wording
from bot.logging_setup import configure_logging, redact
from bot.operator_errors import OperatorError
from bot.startup import prepare, report_content_errors, upgrade_database

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
        print(exc, file=sys.stderr)  # one line per bad variable, each naming it
        return EXIT_USAGE
    secrets = (settings.token_value() or "", settings.webhook_secret_value() or "")
    configure_logging(settings.log_level, secrets=secrets)
    handler = args.handler
    try:
        result: int = handler(settings, args)
    except OperatorError as error:
        print(error, file=sys.stderr)
        return 1
    except (InvalidToken, NetworkError) as error:
        print(bot_api_failure(settings, error), file=sys.stderr)
        return 1
    return result


def bot_api_failure(settings: Settings, error: Exception) -> str:
    """One line for a Bot API that refuses the token or cannot be reached (run, tips send-due)."""
    if isinstance(error, InvalidToken):
        return "Telegram rejected TELEGRAM_BOT_TOKEN: check it with @BotFather."
    return (
        f"Could not reach the Bot API at {settings.telegram_api_base_url} "
        f"({type(error).__name__}: {redact(str(error))}). Check the network and "
        "TELEGRAM_API_BASE_URL, then start again."
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="start the bot (long polling, or --webhook)")
    run.add_argument(
        "--webhook", action="store_true", help="receive updates over HTTPS (WEBHOOK_* settings)"
    )
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
    add_stats_command(content_commands)  # content stats
    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="apply migrations").set_defaults(handler=_db_upgrade)
    add_tips_commands(commands)  # tips send-due
    add_operator_commands(commands)  # stats
    add_health_command(commands)  # health, the container's health check
    return parser


def _content_check(settings: Settings, args: argparse.Namespace) -> int:
    """Exit 0 only for a bank that the bot can send and that passes every quality rule."""
    directory: Path = args.directory or settings.content_dir
    try:
        report = check_content(directory, dt.datetime.now(dt.UTC).date())
    except ContentErrors as exc:
        report_content_errors(directory, exc)
        return 1
    print(content_table(report.bank))
    print(cue_table(report.stats))
    print(freshness_line(report))
    for item in report.stale:
        print(f"stale: {item}")
    if report.problems:
        print(
            f"The content bank in {directory} breaks {wording.rules(len(report.problems))}:",
            file=sys.stderr,
        )
        print("\n".join(str(problem) for problem in report.problems), file=sys.stderr)
        return 1
    print(f"Content bank {directory}: OK")
    return 0


def _content_schema(settings: Settings, args: argparse.Namespace) -> int:
    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return 0


def _db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    print(f"Database is at revision {upgrade_database(settings.database_url)}")
    return 0


def _chat(settings: Settings, args: argparse.Namespace) -> int:
    prepared = prepare(settings)
    if prepared is None:
        return 1
    bank, database = prepared
    from bot.terminal.chat import TerminalChat

    try:
        TerminalChat(bank, database, settings).converse()
    finally:
        database.close()
    return 0


def _run(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.token_value():
        print(NO_TOKEN_HELP, file=sys.stderr)
        return EXIT_USAGE
    if args.webhook and (problems := webhook_problems(settings)):
        print("Configuration error:\n" + "\n".join(problems), file=sys.stderr)
        return EXIT_USAGE
    prepared = prepare(settings)
    if prepared is None:
        return 1
    bank, database = prepared
    from bot.app import build_application
    from bot.telegram.services import Services

    try:  # a rejected token or an unreachable Bot API ends in main's one-line report
        application = build_application(
            Services(settings, bank, database), polling=not args.webhook
        )
        if args.webhook:
            return _serve_webhook(application, settings)
        application.run_polling(bootstrap_retries=3)  # ride out a brief network blip at start
    finally:
        database.close()
    return 0


def _serve_webhook(application: Any, settings: Settings) -> int:
    """Webhook mode until a stop signal; a port we cannot bind is an operator's error."""
    from bot.telegram.webhook.runner import run_webhook

    try:
        run_webhook(application)
    except OSError as error:
        print(
            f"Could not listen on {settings.webhook_listen}:{settings.webhook_port} "
            f"({error.strerror or error}). Check WEBHOOK_LISTEN and WEBHOOK_PORT.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
