"""Callback data, keyboards and HTML for /tip and daily tips.

Callback data starts with "tip:" or "sub:" and is parsed strictly (`parse_sub`): anything else
is stale or forged and changes nothing. Tip text is validated Telegram HTML from the content
bank; everything else shown here is escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.core import local_time
from bot.core.content import Tip
from bot.core.records import Subscription
from bot.core.telegram_html import escape, escape_attribute, quote_back
from bot.telegram import callbacks
from bot.telegram.render import button, fit

TIP_NEXT = callbacks.TIP_NEXT
QUIZ_START = callbacks.QUIZ_START  # handled by the quiz feature
SUB_MENU = callbacks.DAILY_MENU
SUB_STOP = "sub:stop"
SUB_ASK_TIME = "sub:time"
SUB_ASK_ZONE = "sub:zone"
SUB_PAUSE = "sub:pause"
SUB_RESUME = "sub:resume"
SUB_KEEP_ZONE = "sub:z:keep"

_SUB = re.compile(
    r"^sub:(?:(?P<action>menu|stop|time|zone|pause|resume)"
    r"|t:(?P<hhmm>\d{4})|z:(?P<zone>[A-Za-z0-9_+\-/]{1,58}))$"
)


@dataclass(frozen=True, slots=True)
class SubButton:
    """A parsed "sub:" button: one of `action`, `send_time` or `zone` is set."""

    action: str | None = None
    send_time: time | None = None
    zone: str | None = None


def parse_sub(data: str) -> SubButton | None:
    """The button's meaning, or None for data we never send (forged, or an old format)."""
    match = _SUB.match(data)
    if match is None:
        return None
    if match["hhmm"]:
        hour, minute = int(match["hhmm"][:2]), int(match["hhmm"][2:])
        return SubButton(send_time=time(hour, minute)) if hour < 24 and minute < 60 else None
    if match["zone"]:
        return SubButton(zone=match["zone"])
    return SubButton(action=match["action"])


def time_data(value: time) -> str:
    return callbacks.checked(f"sub:t:{value.hour:02d}{value.minute:02d}")


def zone_data(zone: str) -> str:
    return callbacks.checked(f"sub:z:{zone}")


# ------------------------------------------------------------------------------------ tips


def tip_body(tip: Tip) -> str:
    """Bold title, the tip's HTML, and its first source as a link."""
    lines = [f"💡 <b>{escape(tip.title)}</b>", "", tip.text.strip()]
    if tip.sources:
        source = tip.sources[0]
        lines += [
            "",
            f'Source: <a href="{escape_attribute(source.url)}">{escape(source.title)}</a>',
        ]
    return "\n".join(lines)


def tip_message(tip: Tip, unseen_left: int, total: int) -> tuple[str, InlineKeyboardMarkup]:
    """The /tip answer: the tip, how many new ones are left, "Another tip" and "Daily tips"."""
    if unseen_left:
        footer = f"<i>{unseen_left} new tip(s) left of {total}.</i>"
    else:
        footer = f"<i>You have seen all {total} tips; now repeating the oldest first.</i>"
    keyboard = InlineKeyboardMarkup(
        [[button("💡 Another tip", TIP_NEXT), button("📅 Daily tips", SUB_MENU)]]
    )
    return fit(f"{tip_body(tip)}\n\n{footer}"), keyboard


def daily_tip_message(tip: Tip) -> tuple[str, InlineKeyboardMarkup]:
    """A daily delivery: the tip with "Another tip", "Quiz me" and "Stop daily tips"."""
    keyboard = InlineKeyboardMarkup(
        [
            [button("💡 Another tip", TIP_NEXT), button("❓ Quiz me", QUIZ_START)],
            [button("🛑 Stop daily tips", SUB_STOP)],
        ]
    )
    return fit(f"📅 <i>Your daily tip</i>\n\n{tip_body(tip)}"), keyboard


NO_TIPS = "There are no tips in the content bank yet. Try /learn instead."


# --------------------------------------------------------------------------- subscriptions


def zone_line(zone_name: str, now: datetime) -> str:
    zone = ZoneInfo(zone_name)
    local = now.astimezone(zone)
    offset = local_time.utc_offset_label(zone, now)
    return f"{escape(zone_name)} ({offset}, now {local.hour:02d}:{local.minute:02d})"


def ask_time() -> tuple[str, InlineKeyboardMarkup]:
    times = [button(local_time.format_hhmm(t), time_data(t)) for t in local_time.COMMON_TIMES]
    text = (
        "⏰ <b>When should your daily tip arrive?</b>\n"
        "Tap a time, or type one as HH:MM on a 24-hour clock (for example 07:45)."
    )
    return text, InlineKeyboardMarkup([times[:3], times[3:]])


def ask_zone(current: str, now: datetime) -> tuple[str, InlineKeyboardMarkup]:
    text = (
        f"🌍 Your time zone is {zone_line(current, now)}.\n"
        "To change it, type your city or region (for example Berlin or Sao Paulo)."
    )
    keyboard = InlineKeyboardMarkup([[button(f"Keep {current}", SUB_KEEP_ZONE)]])
    return text, keyboard


def zone_choices(query: str, zones: list[str], now: datetime) -> tuple[str, InlineKeyboardMarkup]:
    rows = [
        [button(f"{zone} ({local_time.utc_offset_label(ZoneInfo(zone), now)})", zone_data(zone))]
        for zone in zones
    ]
    text = f"🌍 Time zones matching “{quote_back(query)}”: pick yours."
    return text, InlineKeyboardMarkup(rows)


def no_zone_found(query: str) -> str:
    return (
        f"I found no time zone matching “{quote_back(query)}”. Try the nearest big city or a "
        "region (for example Berlin, Sao Paulo or Kolkata), or a full name such as "
        "Europe/Berlin."
    )


def confirmation(sub: Subscription, now: datetime, headline: str) -> str:
    """What changed and when the next tip arrives, in the user's local time."""
    zone = ZoneInfo(sub.timezone)
    lines = [headline]
    if sub.active:
        at = local_time.format_hhmm(sub.send_time)
        lines.append(f"Every day at {at}, {zone_line(sub.timezone, now)}.")
        lines.append(f"Next tip: <b>{local_time.describe_next(sub.next_due_at, zone, now)}</b>.")
    return "\n".join(lines)


def subscribed_with_zone_prompt(
    sub: Subscription, now: datetime
) -> tuple[str, InlineKeyboardMarkup]:
    text = confirmation(sub, now, "✅ <b>Daily tips are on.</b>") + (
        "\n\n🌍 Not your time zone? Type your city or region (for example Berlin or Sao Paulo)."
    )
    return text, InlineKeyboardMarkup([[button(f"Keep {sub.timezone}", SUB_KEEP_ZONE)]])


def settings_panel(
    sub: Subscription | None, zone_name: str, now: datetime, headline: str = ""
) -> tuple[str, InlineKeyboardMarkup]:
    """/settings: status, time, zone, next tip, and buttons to change each."""
    lines = [headline, ""] if headline else []
    lines.append("⚙️ <b>Daily tips</b>")
    change_zone = button("🌍 Change time zone", SUB_ASK_ZONE)
    if sub is None:
        lines += ["Status: off", f"Time zone: {zone_line(zone_name, now)}"]
        rows = [[button("📅 Get a tip every day", SUB_ASK_TIME)], [change_zone]]
        return "\n".join(lines), InlineKeyboardMarkup(rows)
    lines += [
        f"Status: {'on' if sub.active else 'paused'}",
        f"Time: {local_time.format_hhmm(sub.send_time)}",
        f"Time zone: {zone_line(sub.timezone, now)}",
    ]
    if sub.active:
        when = local_time.describe_next(sub.next_due_at, ZoneInfo(sub.timezone), now)
        lines.append(f"Next tip: <b>{when}</b>")
        toggle = button("⏸ Pause", SUB_PAUSE)
    else:
        toggle = button("▶️ Resume", SUB_RESUME)
    rows = [[button("⏰ Change time", SUB_ASK_TIME), change_zone], [toggle]]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


STOPPED = (
    "🛑 <b>Daily tips are off.</b> You will not get any more.\n"
    "To start again, send /subscribe — or /settings and tap Resume to keep your time."
)
NOT_SUBSCRIBED = "You don't get daily tips, so there is nothing to stop. Send /subscribe to start."
