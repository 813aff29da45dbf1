"""HTML and keyboards of the daily-tip settings: time and zone questions, confirmations, panel.

Times and "next tip" are shown in the user's own zone. Zone names come from the zone database,
what the user typed is quoted back escaped.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.core import local_time
from bot.core.discreet import Preferences
from bot.core.records import Subscription
from bot.core.telegram_html import escape, quote_back
from bot.telegram.callbacks import daily
from bot.telegram.callbacks.daily import DailyAction
from bot.telegram.render import button
from bot.telegram.views import card as card_views
from bot.telegram.views import discreet as discreet_views

STOPPED = (
    "🛑 <b>Daily tips are off.</b> You will not get any more.\n"
    "To start again, send /subscribe — or /settings and tap Resume to keep your time."
)
NOT_SUBSCRIBED = "You don't get daily tips, so there is nothing to stop. Send /subscribe to start."


def zone_line(zone_name: str, now: datetime) -> str:
    zone = ZoneInfo(zone_name)
    local = now.astimezone(zone)
    offset = local_time.utc_offset_label(zone, now)
    return f"{escape(zone_name)} ({offset}, now {local.hour:02d}:{local.minute:02d})"


def ask_time() -> tuple[str, InlineKeyboardMarkup]:
    times = [
        button(local_time.format_hhmm(t), daily.send_time(t)) for t in local_time.COMMON_TIMES
    ]
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
    keyboard = InlineKeyboardMarkup([[button(f"Keep {current}", daily.KEEP_ZONE)]])
    return text, keyboard


def zone_choices(query: str, zones: list[str], now: datetime) -> tuple[str, InlineKeyboardMarkup]:
    rows = [
        [button(f"{zone} ({local_time.utc_offset_label(ZoneInfo(zone), now)})", daily.zone(zone))]
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
    return text, InlineKeyboardMarkup([[button(f"Keep {sub.timezone}", daily.KEEP_ZONE)]])


def settings_panel(
    sub: Subscription | None,
    zone_name: str,
    now: datetime,
    headline: str = "",
    choices: Preferences | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    """/settings: status, time, zone, next tip, and buttons to change each; with `choices`,
    also discreet mode and the weekly card."""
    text, keyboard = _daily_panel(sub, zone_name, now, headline)
    if choices is None:
        return text, keyboard
    lines = [
        text,
        "",
        discreet_views.discreet_line(choices),
        card_views.weekly_line(choices.weekly_card),
    ]
    rows = [
        *keyboard.inline_keyboard,
        [discreet_views.settings_button(), card_views.weekly_button(choices.weekly_card)],
    ]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def _daily_panel(
    sub: Subscription | None, zone_name: str, now: datetime, headline: str
) -> tuple[str, InlineKeyboardMarkup]:
    lines = [headline, ""] if headline else []
    lines.append("⚙️ <b>Daily tips</b>")
    change_zone = button("🌍 Change time zone", daily.action(DailyAction.ASK_ZONE))
    ask_time_button = daily.action(DailyAction.ASK_TIME)
    if sub is None:
        lines += ["Status: off", f"Time zone: {zone_line(zone_name, now)}"]
        rows = [[button("📅 Get a tip every day", ask_time_button)], [change_zone]]
        return "\n".join(lines), InlineKeyboardMarkup(rows)
    lines += [
        f"Status: {'on' if sub.active else 'paused'}",
        f"Time: {local_time.format_hhmm(sub.send_time)}",
        f"Time zone: {zone_line(sub.timezone, now)}",
    ]
    if sub.active:
        when = local_time.describe_next(sub.next_due_at, ZoneInfo(sub.timezone), now)
        lines.append(f"Next tip: <b>{when}</b>")
        toggle = button("⏸ Pause", daily.action(DailyAction.PAUSE))
    else:
        toggle = button("▶️ Resume", daily.action(DailyAction.RESUME))
    rows = [[button("⏰ Change time", ask_time_button), change_zone], [toggle]]
    return "\n".join(lines), InlineKeyboardMarkup(rows)
