"""/privacy, /mydata (written to a JSON file), /forget with a confirmation, and a reset.

The notice is the one Telegram sends (`bot/core/privacy_notice.py`, which needs only the
core), shown as plain text, so the terminal can never describe less than the bot stores.
"""

from __future__ import annotations

from pathlib import Path

from bot.core import wording
from bot.core.privacy_notice import EMPTY_EXPORT, privacy_notice
from bot.flows.export import export_json, export_user
from bot.flows.learning import welcome_back
from bot.flows.privacy import forget_user
from bot.terminal.session import Session

EXPORT_FILENAME = "my-data.json"
ASK = (
    "This deletes everything I hold about you: quiz answers, progress, tips seen and daily-tip "
    "settings. It cannot be undone. Delete it all?"
)
DONE = "Done — I hold nothing about you any more. If you write again, I start from scratch."
NOTHING = "I hold nothing about you. Nothing to delete."
KEPT = "OK, nothing was deleted."


def privacy(session: Session) -> None:
    session.console.write("")
    session.console.say_html(privacy_notice(session.settings.answer_retention_days))


def my_data(session: Session) -> Path | None:
    """Every row about the terminal's user as JSON, and a count of what the file holds.

    Read-only, as in Telegram: asking for a copy creates no user row.
    """
    found = session.run(lambda c: export_user(c, session.user_id))
    if found.is_empty():
        session.console.say(EMPTY_EXPORT)
        return None
    path = session.output_dir / EXPORT_FILENAME
    path.write_bytes(export_json(found))
    session.console.say(f"Saved everything I hold about you, as JSON, to {path}")
    for table, count in found.row_counts().items():
        session.console.say(f"• {table}: {wording.rows(count)}")
    return path


def forget(session: Session) -> bool:
    """Ask, then delete; True when something was deleted."""
    if not session.console.confirm(ASK):
        session.console.say(KEPT)
        return False
    return erase(session)


def erase(session: Session) -> bool:
    deleted = session.run(lambda c: forget_user(c, session.user_id))
    if not deleted:
        session.console.say(NOTHING)
        return False
    # As /forget does: move the zeroed pages out of SQLite's WAL too.
    session.database.checkpoint_wal()
    session.console.say(DONE)
    return True


def reset(session: Session) -> None:
    """Forget everything, then start again as a new user would (after a confirmation)."""
    if not session.console.confirm("Reset: delete all your progress and start again?"):
        session.console.say(KEPT)
        return
    erase(session)
    now = session.clock()
    session.run(lambda c: welcome_back(c, session.user_id, now))
    session.console.say("Starting again from scratch.")
