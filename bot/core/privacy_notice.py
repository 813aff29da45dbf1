"""/privacy and /mydata: what is stored, why, for how long, and how to take it or erase it.

`STORED` describes every table about users in plain words; a unit test checks its keys against
the schema, so a new table cannot go unmentioned in the notice.
"""

from __future__ import annotations

from bot.core import wording
from bot.core.telegram_html import escape

# Table name -> (what it holds, why, how long), in plain words.
STORED: dict[str, tuple[str, str]] = {
    "users": (
        "your Telegram user id, when you first wrote, whether I can reach you, and the time "
        "zone you chose",
        "until /forget",
    ),
    "quizzes": (
        "your quizzes and reviews: which questions, how far you got, how many you got right",
        "7 days after a quiz ends (deleted when you next start one)",
    ),
    "quiz_polls": (
        "the quiz polls I sent you and the option you picked",
        "with their quiz",
    ),
    "question_memory": (
        "per question: how often you answered it, how often right, and when it is due for review",
        "until /forget",
    ),
    "explainer_reads": ("which explainers you read to the end, and when", "until /forget"),
    "active_days": ("the dates on which you finished a quiz (your streak)", "until /forget"),
    "tips_seen": ("which tips you have seen, how often, and when last", "until /forget"),
    "tip_subscriptions": (
        "your daily-tip time, whether it is on, and when the next one is due",
        "until /forget",
    ),
    "tip_deliveries": (
        "which daily tip I sent you on which date, and whether it arrived",
        "about 14 days",
    ),
    "tip_prompts": (
        "that I asked you to type a time or a zone and am waiting for it",
        "until you answer",
    ),
    "answers": (
        "each quiz answer: the question, the option you picked, right or not, and when",
        "{retention_days} days, then only counted into per-topic totals",
    ),
    "topic_answer_totals": (
        "per topic: how many questions you answered and how many right",
        "until /forget",
    ),
    "user_preferences": (
        "whether discreet mode and the weekly card are on, and after how many hours lessons "
        "delete themselves",
        "until /forget",
    ),
    "messages_to_delete": (
        "in discreet mode, which of my messages to delete and when (chat and message number)",
        "until they are deleted",
    ),
    "weekly_cards": ("the weeks in which I sent you a progress card", "until /forget"),
    "checkups": (
        "your check-up: the device you chose, which day you are on, when you started",
        "until /forget",
    ),
    "checkup_deliveries": ("on which dates I sent you a check-up day", "until /forget"),
    "user_actions": (
        "which steps and tips you marked done or not for you, and when",
        "until /forget",
    ),
    "action_reminders": ("reminders you asked for, and when they are due", "until /forget"),
}


def privacy_notice(retention_days: int) -> str:
    """The whole notice in Telegram HTML, well within one message's 4096 characters."""
    lines = [
        "🔒 <b>What I store about you, and why</b>",
        "",
        "Only what I need to teach you and to reply: your Telegram user id and your learning "
        "records. <b>Never</b> your name, username, phone number or what you type to me.",
        "",
    ]
    for held, kept in STORED.values():
        lines.append(
            f"• {escape(held)} <i>({escape(kept.format(retention_days=retention_days))})</i>"
        )
    lines += [
        "",
        "<b>Why:</b> to pick questions you have not seen, bring back the ones you missed, keep "
        "your streak and progress, and send daily tips at your time.",
        "",
        "In webhook mode I also keep the numbers of updates Telegram delivered (nothing about "
        "you) for one day, so a repeated delivery is handled once. When several copies of the "
        "bot share one database, an update waiting its turn is also held with your user id, "
        "for the seconds until it is handled, so your messages are answered in order.",
        "",
        "<b>Who sees it:</b> nobody else through the bot. Its operators see totals only "
        "(how many users, how often a question is answered right), never anything about one "
        "person. Whoever runs the server could read the database itself.",
        "",
        "<b>Discreet mode</b> (/discreet) makes the messages I send on my own arrive silently, "
        "start with a plain line such as “Your daily note”, and stops them being forwarded or "
        "saved. Lessons can also delete themselves after 1, 6 or 24 hours: until then I keep "
        "only the chat, the message number and when to delete it, and /forget erases that too.",
        "",
        "<b>Your choices</b>",
        "/mydata — a file with everything I hold about you",
        "/forget — delete all of it, at once and for good",
    ]
    return "\n".join(lines)


EMPTY_EXPORT = "I hold nothing about you, so there is nothing to export."
EXPORT_CAPTION = "Everything I hold about you, as JSON."


def export_summary(row_counts: dict[str, int]) -> str:
    """How many rows of what the file holds, in the chat beside it."""
    lines = ["📦 <b>Your data</b>: the file holds"]
    for table, count in row_counts.items():
        lines.append(f"• {escape(table)}: {wording.rows(count)}")
    lines += ["", "/privacy explains each part; /forget deletes it all."]
    return "\n".join(lines)
