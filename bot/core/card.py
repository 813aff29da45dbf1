"""The progress card: the facts it shows, its caption, its colours' contrast, and its week.

Pure: the image is drawn in `bot/images/card.py` from a `CardFacts`, and the caption
carries the same facts as text, so a screen reader (or a phone that hides images) loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core import wording
from bot.core.progress import ProgressSummary

CAPTION_MAX = 1024  # Telegram's limit for a photo caption, in UTF-16 units
# Users without daily tips still get a weekly card: at this local time.
DEFAULT_CARD_TIME = time(9, 0)


@dataclass(frozen=True, slots=True)
class TopicBar:
    title: str
    mastered: int
    total: int

    @property
    def fraction(self) -> float:
        return self.mastered / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class CardFacts:
    """Everything the card shows. `actions_done` counts tips and check-up steps ticked "Done";
    None leaves its tile and caption line out (a caller that does not know)."""

    as_of: date
    streak_current: int
    streak_best: int
    answered: int
    accuracy_percent: int
    reviews_due: int
    topics: tuple[TopicBar, ...]
    actions_done: int | None = None


def facts_from(
    summary: ProgressSummary, as_of: date, actions_done: int | None = None
) -> CardFacts:
    """The card's facts from what /progress already computes (one source for both)."""
    return CardFacts(
        as_of=as_of,
        streak_current=summary.streak.current,
        streak_best=summary.streak.best,
        answered=summary.answered,
        accuracy_percent=round(summary.accuracy * 100),
        reviews_due=summary.reviews_due,
        topics=tuple(TopicBar(t.title, t.mastered, t.total) for t in summary.topics),
        actions_done=actions_done,
    )


def date_label(day: date) -> str:
    """ "10 March 2026": unambiguous wherever the reader lives."""
    return f"{day.day} {day:%B %Y}"


def stat_lines(facts: CardFacts) -> list[str]:
    """The headline numbers, as the caption says them."""
    lines = [
        f"Streak: {wording.days(facts.streak_current)} (best {facts.streak_best})",
        (
            f"Answers: {facts.answered}, {facts.accuracy_percent}% right"
            if facts.answered
            else "Answers: none yet, try /quiz"
        ),
        f"Reviews due: {facts.reviews_due}",
    ]
    if facts.actions_done is not None:
        lines.append(f"Actions done: {facts.actions_done}")
    return lines


def caption(facts: CardFacts, first_line: str = "📊 Your progress card") -> str:
    """Plain text with the card's facts; topics that do not fit are counted, not cut mid-line."""
    head = [f"{first_line} ({date_label(facts.as_of)})", *stat_lines(facts), "Mastery by topic:"]
    topics = [f"• {t.title}: {t.mastered} of {t.total}" for t in facts.topics]
    text = "\n".join(head + topics)
    kept = len(topics)
    while _utf16_length(text) > CAPTION_MAX and kept > 0:
        kept -= 1
        more = wording.more_topics(len(topics) - kept)
        text = "\n".join([*head, *topics[:kept], more])
    return text


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# ---------------------------------------------------------------------------------- contrast

RGB = tuple[int, int, int]


def relative_luminance(colour: RGB) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio, 1 to 21; text needs 4.5, large text and graphics 3."""
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# -------------------------------------------------------------------------------- weekly card


def week_start(day: date) -> date:
    """The Monday of `day`'s week: the key that makes "once a week" a database guarantee."""
    return day - timedelta(days=day.weekday())


def weekly_card_due(
    now: datetime, zone: ZoneInfo, send_time: time | None, last_week: date | None
) -> date | None:
    """The week to send a card for now, or None.

    A week's card goes at the user's daily-tip time (or `DEFAULT_CARD_TIME`) on the first day
    of the week the bot is running at that time, so a bot that was down on Monday catches up
    on Tuesday instead of skipping the week.
    """
    local = now.astimezone(zone)
    week = week_start(local.date())
    if last_week is not None and last_week >= week:
        return None
    at = send_time if send_time is not None else DEFAULT_CARD_TIME
    return week if local.time().replace(tzinfo=None) >= at else None
