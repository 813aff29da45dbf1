"""/stats and /reload replies for operators."""

from __future__ import annotations

from bot.core import wording
from bot.core.content import ContentBank
from bot.core.telegram_html import escape
from bot.flows.operators import OperatorStats, ReloadFailed, report_lines

MAX_ERROR_CHARS = 400  # per error: a few errors always fit in one message


def stats_text(found: OperatorStats) -> str:
    """The same rows as `python -m bot stats`, values in bold."""
    lines = ["📊 <b>This instance</b>"]
    lines += [f"{escape(label)}: <b>{escape(value)}</b>" for label, value in report_lines(found)]
    return "\n".join(lines)


def reloaded_text(bank: ContentBank) -> str:
    return (
        "✅ Content reloaded: "
        f"{len(bank.topics)} topics, {len(bank.questions)} questions, {len(bank.tips)} tips."
    )


def reload_failed_text(failed: ReloadFailed) -> str:
    """The error count and the first errors; the bot keeps serving the bank it had."""
    lines = [
        f"❌ The content bank has {wording.problems(failed.error_count)}; "
        "I kept serving the previous one. The first:",
    ]
    for error in failed.first_errors:
        shown = error if len(error) <= MAX_ERROR_CHARS else error[: MAX_ERROR_CHARS - 1] + "…"
        lines.append(f"• <code>{escape(shown)}</code>")
    lines.append("Run <code>python -m bot content check</code> for the full list.")
    return "\n".join(lines)
