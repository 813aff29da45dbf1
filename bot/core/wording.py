"""The message catalogue: counted phrases with real plural forms, and times said the way people do.

Every phrase that holds a count goes through Python's standard `gettext` (`ngettext`,
`npgettext`), so each language gets its own plural rules ("1 day", "2 days"; three forms in
Polish, one in Japanese). The English text in this file is the source: with no compiled
catalogue for the language in use, `gettext` falls back to it. Adding a language is a
translation file in `bot/locale/<lang>/LC_MESSAGES/bot.mo`, not a code change (CONTRIBUTING.md,
"Add a language").

Placeholders are `str.format` fields (`{count}`, `{time}`): translators may move them. Values
that come from content or users are escaped by the caller before they are formatted in.
"""

from __future__ import annotations

import gettext
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

DOMAIN = "bot"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


class Catalogue:
    """One language's messages; a thin, typed wrapper over a `gettext` translations object."""

    def __init__(self, translations: gettext.NullTranslations) -> None:
        self.translations = translations

    def text(self, message: str, **values: object) -> str:
        """A phrase without a count."""
        return self.translations.gettext(message).format(**values)

    def text_in(self, context: str, message: str, **values: object) -> str:
        """A phrase whose source text is ambiguous without `context` (a weekday, a verb)."""
        return self.translations.pgettext(context, message).format(**values)

    def plural(self, singular: str, plural: str, count: int, **values: object) -> str:
        """A phrase with a count, in the form the language uses for that count."""
        return self.translations.ngettext(singular, plural, count).format(count=count, **values)

    def plural_in(
        self, context: str, singular: str, plural: str, count: int, **values: object
    ) -> str:
        """A counted phrase with a context, for words that translate differently by use."""
        chosen = self.translations.npgettext(context, singular, plural, count)
        return chosen.format(count=count, **values)


def load(languages: Sequence[str] | None = None, locale_dir: Path = LOCALE_DIR) -> Catalogue:
    """The catalogue for the first of `languages` that has one, else the English source.

    With `languages=None` gettext reads the standard LANGUAGE, LC_ALL, LC_MESSAGES and LANG
    variables, so an operator picks the bot's language without touching the code.
    """
    found = gettext.translation(
        DOMAIN,
        localedir=locale_dir,
        languages=list(languages) if languages else None,
        fallback=True,
    )
    return Catalogue(found)


# The catalogue replies use; loaded once at import (reading a .mo file per reply would be waste).
WORDS = load()


# ------------------------------------------------------------------------------ counted phrases
def days(count: int, words: Catalogue = WORDS) -> str:
    return words.plural("{count} day", "{count} days", count)


def questions(count: int, words: Catalogue = WORDS) -> str:
    return words.plural("{count} question", "{count} questions", count)


def questions_due(count: int, words: Catalogue = WORDS) -> str:
    """ "1 question due", "5 questions due": how many reviews are waiting."""
    return words.plural("{count} question due", "{count} questions due", count)


def answers(count: int, words: Catalogue = WORDS) -> str:
    return words.plural("{count} answer", "{count} answers", count)


def new_tips_left(count: int, words: Catalogue = WORDS) -> str:
    return words.plural("{count} new tip left", "{count} new tips left", count)


def topics_not_started(count: int, words: Catalogue = WORDS) -> str:
    return words.plural("{count} topic not started yet", "{count} topics not started yet", count)


def hours(count: int, words: Catalogue = WORDS) -> str:
    return words.plural("{count} hour", "{count} hours", count)


def more_topics(count: int, words: Catalogue = WORDS) -> str:
    return words.plural("…and {count} more topic", "…and {count} more topics", count)


def rows(count: int, words: Catalogue = WORDS) -> str:
    return words.plural("{count} row", "{count} rows", count)


def problems(count: int, words: Catalogue = WORDS) -> str:
    return words.plural("{count} problem", "{count} problems", count)


def rules(count: int, words: Catalogue = WORDS) -> str:
    return words.plural("{count} rule", "{count} rules", count)


def streak_days(count: int, words: Catalogue = WORDS) -> str:
    """ "a 3-day streak" reads oddly in many languages: say "3 days in a row"."""
    return words.plural_in("streak", "{count} day in a row", "{count} days in a row", count)


# --------------------------------------------------------------------------------- moments
def marked(context: str, message: str) -> str:
    """Mark a word for extraction (xgettext's `marked:1c,2`); it is translated where it is used."""
    del context
    return message


WEEKDAYS = (
    marked("weekday", "Monday"),
    marked("weekday", "Tuesday"),
    marked("weekday", "Wednesday"),
    marked("weekday", "Thursday"),
    marked("weekday", "Friday"),
    marked("weekday", "Saturday"),
    marked("weekday", "Sunday"),
)
MONTHS = (
    marked("month", "January"),
    marked("month", "February"),
    marked("month", "March"),
    marked("month", "April"),
    marked("month", "May"),
    marked("month", "June"),
    marked("month", "July"),
    marked("month", "August"),
    marked("month", "September"),
    marked("month", "October"),
    marked("month", "November"),
    marked("month", "December"),
)
# Within this many days a weekday is unambiguous ("on Friday"); further out it needs a date.
WEEKDAY_HORIZON = 6


def when(moment: datetime, today: date, words: Catalogue = WORDS) -> str:
    """A future local moment as people say it: "today at 18:00", "tomorrow at 09:15",
    "on Friday at 18:00", "on 14 March at 18:00".

    `moment` is already in the reader's own zone and `today` is their local date, so the words
    match their clock, not the server's. Weekday and month names come from the catalogue, not
    the process locale, so they follow the bot's language.
    """
    clock = f"{moment.hour:02d}:{moment.minute:02d}"
    ahead = (moment.date() - today).days
    if ahead <= 0:
        return words.text("today at {time}", time=clock)
    if ahead == 1:
        return words.text("tomorrow at {time}", time=clock)
    if ahead <= WEEKDAY_HORIZON:
        weekday = words.text_in("weekday", WEEKDAYS[moment.weekday()])
        return words.text("on {weekday} at {time}", weekday=weekday, time=clock)
    month = words.text_in("month", MONTHS[moment.month - 1])
    return words.text("on {day} {month} at {time}", day=moment.day, month=month, time=clock)
