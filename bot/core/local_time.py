"""Daily-tip schedules: a local wall-clock time in an IANA zone, turned into UTC instants.

Pure functions with the clock passed in, so every DST and midnight case is testable with fixed
instants. The rules:

- A tip belongs to one local calendar date; the delivery ledger allows one per date.
- A wall time that does not exist that day (the spring-forward gap) is sent at the first valid
  minute after the gap; a wall time that happens twice (the fall-back hour) uses the first one.
- After downtime, today's tip is still sent if its time has passed; an earlier day's never is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

# Times offered as buttons: none between 02:00 and 03:00, where DST gaps and folds live.
COMMON_TIMES = (time(7, 0), time(8, 0), time(9, 0), time(12, 0), time(18, 0), time(20, 0))
ZONE_REGIONS = frozenset(
    {
        "Africa",
        "America",
        "Antarctica",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)
_HHMM = re.compile(r"^\s*(\d{1,2})\s*[:.h]\s*(\d{2})\s*$")


class BadTime(ValueError):
    """Text that is not a 24-hour HH:MM time; the message is safe to show the user."""


def parse_hhmm(text: str) -> time:
    """Read "8:30", "08:30", "08.30" or "8h30" as a time; raise BadTime with a readable reason."""
    match = _HHMM.match(text)
    if match is None:
        raise BadTime("Please write the time as HH:MM on a 24-hour clock, for example 08:30.")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise BadTime("That time does not exist: hours go from 00 to 23 and minutes to 59.")
    return time(hour, minute)


def format_hhmm(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


# ------------------------------------------------------------------------------------- zones


@cache
def selectable_zones() -> tuple[str, ...]:
    """Canonical IANA zones people live in (no "Etc/GMT+5", "US/Eastern" or "posix/" copies)."""
    names = {
        name
        for name in available_timezones()
        if name.split("/", 1)[0] in ZONE_REGIONS and "/" in name
    }
    return tuple(sorted(names | {"UTC"}))


# tzdata files that are not a place's clock: "localtime" is whatever the server is set to,
# "Factory" shows "-00", "posixrules" is a template, and posix/ and right/ are copies of the
# whole database (right/ counts leap seconds, so its clocks drift from everyone else's).
NOT_PLACES = frozenset({"localtime", "factory", "posixrules"})
NOT_PLACE_PREFIXES = ("posix/", "right/")


def is_place_zone(name: str) -> bool:
    """True for a name people can live by: an IANA place or alias, `UTC`, or `Etc/*`."""
    lowered = name.strip().lower()
    return lowered not in NOT_PLACES and not lowered.startswith(NOT_PLACE_PREFIXES)


@cache
def _zone_lookup() -> dict[str, str]:
    """Lower-case name -> proper name, for every place zone ZoneInfo knows."""
    return {name.lower(): name for name in available_timezones() if is_place_zone(name)}


def canonical_zone(name: str) -> str | None:
    """The properly spelled IANA name for `name` (any case), or None when no such zone exists."""
    found = _zone_lookup().get(name.strip().lower())
    if found is None:
        return None
    try:
        ZoneInfo(found)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return found


def _fold(text: str) -> str:
    """Lower case, accents removed, separators unified: "São_Paulo" and "sao paulo" match."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s_\-/,.]+", " ", plain.lower()).strip()


def search_zones(query: str, limit: int = 8) -> list[str]:
    """Zones whose city or region matches `query`, best first (exact city, prefix, substring)."""
    wanted = _fold(query)
    if not wanted:
        return []
    exact = canonical_zone(query)
    ranked: list[tuple[int, str]] = []
    for name in selectable_zones():
        city = _fold(name.rsplit("/", 1)[-1])
        whole = _fold(name)
        if name == exact or city == wanted:
            rank = 0
        elif city.startswith(wanted):
            rank = 1
        elif wanted in city:
            rank = 2
        elif wanted in whole:
            rank = 3
        else:
            continue
        ranked.append((rank, name))
    ranked.sort()
    return [name for _, name in ranked[:limit]]


def utc_offset_label(zone: ZoneInfo, at: datetime) -> str:
    """ "UTC+05:30" for display; computed for the given instant, so it follows DST."""
    offset = at.astimezone(zone).utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


# ------------------------------------------------------------------------------ scheduling


def zone_of(name: str | None, default: ZoneInfo) -> ZoneInfo:
    """A user's zone from its stored name; a missing or no-longer-valid name gives the default.

    Never raises: tzdata can drop or rename a zone between releases, and a stored name must not
    turn into a crash for that user.
    """
    canonical = canonical_zone(name) if name else None
    if canonical:
        return ZoneInfo(canonical)
    return default


def local_date(zone: ZoneInfo, now: datetime) -> date:
    """The calendar date on the user's wall at `now`."""
    return now.astimezone(zone).date()


def send_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of wall time `at` on local `day`, following the DST rules above."""
    wall = datetime.combine(day, at)
    first = wall.replace(tzinfo=zone, fold=0)
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall:
        return first.astimezone(UTC)  # exists (in a repeated hour fold=0 is the first one)
    return _end_of_gap(wall, zone)


def _end_of_gap(wall: datetime, zone: ZoneInfo) -> datetime:
    """First whole minute at or after the gap that swallowed `wall` (binary search in UTC).

    In a gap, fold=1 reads the wall time with the old offset (an instant before the jump) and
    fold=0 with the new one (after it); the jump lies between the two.
    """
    low = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    high = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    low, high = min(low, high), max(low, high)
    step = timedelta(minutes=1)
    while high - low > step:
        middle = low + (high - low) / 2
        middle = middle.replace(second=0, microsecond=0)
        if middle <= low:
            break
        if middle.astimezone(zone).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle
    return high


@dataclass(frozen=True, slots=True)
class DueDecision:
    """What a delivery pass does with a subscriber whose stored instant has come.

    `claim_date` is the local date to send for (None: nothing to send now) and `next_due_at` the
    instant to store for the next check.
    """

    claim_date: date | None
    next_due_at: datetime


def decide(at: time, zone: ZoneInfo, now: datetime) -> DueDecision:
    """Send today's tip if its time has passed today; never an earlier day's.

    A row can be stale (its instant was on an earlier local day, e.g. after downtime): then only
    today counts, and if today's time is still ahead we simply wait for it.
    """
    today = local_date(zone, now)
    todays = send_instant(today, at, zone)
    if todays > now:
        return DueDecision(None, todays)
    return DueDecision(today, send_instant(today + timedelta(days=1), at, zone))


def next_due_after(
    at: time, zone: ZoneInfo, now: datetime, *, delivered_today: bool = False
) -> datetime:
    """When the next tip goes out for a schedule set at `now` (on subscribe or a change).

    Today's time counts only if it is still ahead and today's tip has not gone out already.
    """
    today = local_date(zone, now)
    todays = send_instant(today, at, zone)
    if todays > now and not delivered_today:
        return todays
    return send_instant(today + timedelta(days=1), at, zone)


def describe_next(due: datetime, zone: ZoneInfo, now: datetime) -> str:
    """ "today at 08:30", "tomorrow at 08:30" or "Mon 3 Mar at 08:30", in the user's zone."""
    local_due = due.astimezone(zone)
    days = (local_due.date() - local_date(zone, now)).days
    clock = f"{local_due.hour:02d}:{local_due.minute:02d}"
    if days == 0:
        return f"today at {clock}"
    if days == 1:
        return f"tomorrow at {clock}"
    return f"{local_due.strftime('%a')} {local_due.day} {local_due.strftime('%b')} at {clock}"


def resolve_zone(text: str) -> tuple[str | None, list[str]]:
    """An exact IANA name (any case) or the single search match; else the candidates."""
    exact = canonical_zone(text)
    if exact is not None:
        return exact, [exact]
    matches = search_zones(text)
    return (matches[0] if len(matches) == 1 else None), matches
