"""Daily-tip settings: the time, the zone, pause and resume, through the flows /settings uses.

Only the choice is stored here; the tips themselves are sent by the running bot (`python -m bot
run`, or `python -m bot tips send-due`), to the Telegram account the settings belong to. The
terminal's own user has no Telegram chat, so it says so rather than promise a message.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.core import local_time
from bot.core.records import Subscription
from bot.flows import tip_settings
from bot.flows.tip_settings import SETTINGS, SUBSCRIBE
from bot.terminal.console import GoBack
from bot.terminal.session import Session

DELIVERY_NOTE = (
    "Daily tips are delivered by the running bot (python -m bot run) to a Telegram chat; "
    "here you can try the settings, and they are kept in the same database."
)


def daily_tips(session: Session) -> None:
    """The settings panel, then its keys until "Back"."""
    session.console.say(f"\n{DELIVERY_NOTE}")
    while True:
        sub, zone = session.run(lambda c: tip_settings.panel(c, session.user_id, session.zone))
        now = session.clock()
        session.console.say(panel_text(sub, zone, now))
        options = [("t", "Set the time" if sub is None else "Change time")]
        options.append(("z", "Change time zone"))
        if sub is not None:
            options.append(("p", "Pause") if sub.active else ("r", "Resume"))
        options.append(("b", "Back"))
        key = session.console.choose_key(options)
        try:
            if key == "t":
                ask_time(session, sub)
            elif key == "z":
                ask_zone(session)
            elif key in ("p", "r"):
                toggle(session, active=key == "r")
            else:
                return
        except GoBack:
            continue


def zone_line(zone_name: str, now: datetime) -> str:
    zone = ZoneInfo(zone_name)
    local = now.astimezone(zone)
    offset = local_time.utc_offset_label(zone, now)
    return f"{zone_name} ({offset}, now {local.hour:02d}:{local.minute:02d})"


def panel_text(sub: Subscription | None, zone_name: str, now: datetime) -> str:
    lines = ["\nDaily tips"]
    if sub is None:
        lines += ["Status: off", f"Time zone: {zone_line(zone_name, now)}"]
        return "\n".join(lines)
    lines += [
        f"Status: {'on' if sub.active else 'paused'}",
        f"Time: {local_time.format_hhmm(sub.send_time)}",
        f"Time zone: {zone_line(sub.timezone, now)}",
    ]
    if sub.active:
        when = local_time.describe_next(sub.next_due_at, ZoneInfo(sub.timezone), now)
        lines.append(f"Next tip: {when}")
    return "\n".join(lines)


def read_time(session: Session) -> time:
    """A typed HH:MM; a wrong one is explained and asked again ("b" goes back)."""
    while True:
        text = session.console.ask("Time (HH:MM, 24-hour clock; b = back): ")
        if text.lower() == "b":
            raise GoBack
        try:
            return local_time.parse_hhmm(text)
        except local_time.BadTime as error:
            session.console.say(f"“{text}” is not a time I can use. {error}")


def ask_time(session: Session, sub: Subscription | None) -> None:
    """Set the time; a first subscription then asks for the zone, as /subscribe does."""
    send_time = read_time(session)
    flow = SUBSCRIBE if sub is None else SETTINGS
    now = session.clock()
    changed = session.run(
        lambda c: tip_settings.set_time(c, session.user_id, send_time, flow, now, session.zone)
    )
    if flow == SUBSCRIBE:
        session.console.say(
            f"Daily tips are on, every day at {local_time.format_hhmm(send_time)}."
        )
        session.console.say(f"Not your time zone ({changed.timezone})? Type your city or region.")
        if not ask_zone(session, keep=changed.timezone):
            session.run(lambda c: tip_settings.keep_zone(c, session.user_id, now, session.zone))
    else:
        session.console.say("Time changed.")


def ask_zone(session: Session, keep: str | None = None) -> bool:
    """Read a zone (an IANA name, or a city to pick from); False when the person kept `keep`."""
    hint = f"Enter keeps {keep}" if keep else "b = back"
    while True:
        text = session.console.ask(f"City, region or zone ({hint}): ")
        if keep is not None and text.lower() in ("", "b"):
            return False
        if text.lower() == "b":
            raise GoBack
        if not text:
            session.console.say("Please type a city, a region or a zone name, or b to go back.")
            continue
        chosen = pick_zone(session, text)
        if chosen is not None:
            set_zone(session, chosen)
            return True


def pick_zone(session: Session, text: str) -> str | None:
    exact = local_time.canonical_zone(text)
    if exact is not None:
        return exact
    matches = local_time.search_zones(text)
    if not matches:
        session.console.say(
            f"I found no time zone matching “{text}”. Try the nearest big city or a region "
            "(for example Berlin, Sao Paulo or Kolkata), or a full name such as Europe/Berlin."
        )
        return None
    session.console.say(f"Time zones matching “{text}”: pick yours (b = back).")
    try:
        return matches[session.console.choose(matches)]
    except GoBack:
        return None


def set_zone(session: Session, zone: str) -> None:
    now = session.clock()
    session.run(lambda c: tip_settings.set_zone(c, session.user_id, zone, now, session.zone))
    session.console.say(f"Time zone set to {zone}.")


def toggle(session: Session, *, active: bool) -> None:
    now = session.clock()
    changed, _ = session.run(
        lambda c: tip_settings.toggle(c, session.user_id, active, now, session.zone)
    )
    if not changed:
        session.console.say("Already resumed." if active else "Already paused.")
    else:
        session.console.say("Daily tips resumed." if active else "Daily tips paused.")
