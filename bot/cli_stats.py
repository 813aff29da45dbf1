"""`python -m bot content stats [--min-answers N]`: item analysis of the bank on real answers.

For content authors and operators: which questions are too easy, which ones strong learners miss
more than weak ones (a wrong key or an ambiguous option), which wrong options nobody picks. It
prints aggregates only, never anything about one learner, and covers the answers still in the
log (`ANSWER_RETENTION_DAYS`). The statistics are `bot/core/item_analysis.py`'s.
"""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli_types import at_least_one
from bot.config import Settings
from bot.core import wording
from bot.core.item_analysis import DEFAULT_MIN_ANSWERS, Flag, ItemStats
from bot.flows.item_stats import StatsReport, item_stats
from bot.operator_errors import database_errors
from bot.startup import prepare

OPTION_LETTERS = "ABCDEFGHIJ"
MAX_OPTIONS_SHOWN = 4  # the bank allows 3-4; a wider item shows its first four


def add_stats_command(content_commands: Any) -> None:
    """Register `content stats` on the `content` subcommands."""
    stats = content_commands.add_parser(
        "stats", help="item analysis of the questions on the answers in the log"
    )
    stats.add_argument(
        "--min-answers",
        type=at_least_one,
        default=DEFAULT_MIN_ANSWERS,
        metavar="N",
        help=f"analyse questions with at least N answers (default {DEFAULT_MIN_ANSWERS})",
    )
    stats.set_defaults(handler=content_stats_command)


def content_stats_command(settings: Settings, args: argparse.Namespace) -> int:
    prepared = prepare(settings)  # an unusable database ends in main's one-line report
    if prepared is None:
        return 1
    bank, database = prepared
    try:
        with database_errors(settings.database_url):
            report = database.run_sync(lambda c: item_stats(c, bank, min_answers=args.min_answers))
    finally:
        database.close()
    print(stats_text(report, settings.answer_retention_days))
    return 0


def stats_text(report: StatsReport, retention_days: int) -> str:
    """The report: a header, one row per analysed question, flags and per-topic totals."""
    items = report.items
    lines = [
        f"Item analysis of {items.answers} answers in the log "
        f"(the last {retention_days} days: ANSWER_RETENTION_DAYS).",
        "disc: upper-lower 27% index, strong minus weak learners' share right (-1 to +1).",
    ]
    if items.items:
        lines += _item_table(items.items)
    flagged = [item for item in items.items if item.flags]
    lines += _flagged_list(flagged)
    lines.append("")
    lines.append(
        f"{wording.questions(len(items.items))} with at least {items.min_answers} answers, "
        f"{len(flagged)} flagged; {wording.questions(items.below_minimum)} with fewer, not shown."
    )
    lines += _topic_table(report.topics)
    return "\n".join(lines)


def _item_table(items: tuple[ItemStats, ...]) -> list[str]:
    width = max(len("question"), *(len(item.question_id) for item in items))
    options = " ".join(f"{letter:>4}" for letter in OPTION_LETTERS[:MAX_OPTIONS_SHOWN])
    header = f"{'question':<{width}} {'answers':>7} {'right':>5}  {options}  {'disc':>5}  flags"
    rows = [header, "-" * len(header)]
    for item in items:
        rows.append(
            f"{item.question_id:<{width}} {item.answers:>7} {_percent(item.share_correct):>5}  "
            f"{_option_cells(item)}  {_signed(item.discrimination):>5}  {_flags(item)}".rstrip()
        )
    rows.append("(option shares in %; * marks the key)")
    return rows


FLAG_MEANING = {
    Flag.TOO_EASY: "95% or more right: it teaches little",
    Flag.NEGATIVE: "strong learners miss it more: check key, wording",
    Flag.UNUSED_OPTION: "under 5% pick it: write a likelier one",
}
# Shorter words in the table, so the widest row (a 32-character id) fits 100 columns.
TABLE_WORD = {Flag.TOO_EASY: "too easy", Flag.NEGATIVE: "neg disc", Flag.UNUSED_OPTION: "unused"}


def _flagged_list(flagged: list[ItemStats]) -> list[str]:
    if not flagged:
        return []
    lines = ["", f"Flagged ({len(flagged)}):"]
    for item in flagged:
        for flag in item.flags:
            lines.append(f"  {item.question_id}  {_flag_word(item, flag)}: {FLAG_MEANING[flag]}")
    return lines


def _option_cells(item: ItemStats) -> str:
    cells = []
    for index in range(MAX_OPTIONS_SHOWN):
        if index >= len(item.option_shares):
            cells.append(" " * 4)
            continue
        mark = "*" if index == item.correct_option else " "
        cells.append(f"{round(item.option_shares[index] * 100):>3}{mark}")
    return " ".join(cells)


def _flags(item: ItemStats) -> str:
    return "; ".join(_flag_word(item, flag, TABLE_WORD[flag]) for flag in item.flags)


def _flag_word(item: ItemStats, flag: Flag, word: str | None = None) -> str:
    """The flag, naming the unused options by letter."""
    word = word or flag.value
    if flag is Flag.UNUSED_OPTION:
        return f"{word} " + ",".join(OPTION_LETTERS[i] for i in item.unused_options)
    return word


def _topic_table(topics: dict[str, tuple[int, int]]) -> list[str]:
    if not topics:
        return ["No answers logged yet."]
    width = max(len("topic"), *(len(topic) for topic in topics))
    lines = ["", f"{'topic':<{width}} {'answers (all time)':>18} {'right':>6}"]
    for topic, (answered, correct) in sorted(topics.items()):
        share = correct / answered if answered else 0.0
        lines.append(f"{topic:<{width}} {answered:>18} {_percent(share):>6}")
    return lines


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def _signed(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2f}"
