"""The message catalogue: real plural forms, times said as people say them, a second language."""

from __future__ import annotations

import re
import struct
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core import wording

TODAY = date(2026, 3, 10)  # a Tuesday
ZONE = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("phrase", "one", "many"),
    [
        (wording.days, "1 day", "2 days"),
        (wording.questions_due, "1 question due", "5 questions due"),
        (wording.new_tips_left, "1 new tip left", "5 new tips left"),
        (wording.answers, "1 answer", "5 answers"),
        (wording.topics_not_started, "1 topic not started yet", "5 topics not started yet"),
        (wording.streak_days, "1 day in a row", "5 days in a row"),
        (wording.hours, "1 hour", "5 hours"),
        (wording.more_topics, "…and 1 more topic", "…and 5 more topics"),
        (wording.rows, "1 row", "5 rows"),
        (wording.problems, "1 problem", "5 problems"),
        (wording.rules, "1 rule", "5 rules"),
    ],
)
def test_english_plurals_are_real_words(phrase, one: str, many: str) -> None:
    assert phrase(1) == one
    assert phrase(5 if "5" in many else 2) == many
    assert "(s)" not in phrase(0)


def test_zero_takes_the_plural_in_english() -> None:
    assert wording.days(0) == "0 days"


@pytest.mark.parametrize(
    ("moment", "said"),
    [
        (datetime(2026, 3, 10, 18, 0, tzinfo=ZONE), "today at 18:00"),
        (datetime(2026, 3, 11, 9, 15, tzinfo=ZONE), "tomorrow at 09:15"),
        (datetime(2026, 3, 13, 18, 0, tzinfo=ZONE), "on Friday at 18:00"),
        (datetime(2026, 3, 16, 7, 5, tzinfo=ZONE), "on Monday at 07:05"),
        # A week ahead is the same weekday as today: a date says which one.
        (datetime(2026, 3, 17, 18, 0, tzinfo=ZONE), "on 17 March at 18:00"),
    ],
)
def test_when_reads_like_speech(moment: datetime, said: str) -> None:
    assert wording.when(moment, TODAY) == said


def write_mo(path: Path, plural_forms: str, messages: dict[str, str]) -> None:
    """A minimal GNU .mo file: what `msgfmt` would compile from a .po, enough for the test.

    Keys are msgids (context as "ctxt\\x04id", plural pairs as "one\\x00many"); values likewise
    joined by NUL for plural forms.
    """
    entries = {"": f"Content-Type: text/plain; charset=UTF-8\nPlural-Forms: {plural_forms}\n"}
    entries.update(messages)
    keys = sorted(entries)
    ids = [k.encode() for k in keys]
    strs = [entries[k].encode() for k in keys]
    header_size = 7 * 4
    table_size = len(keys) * 8
    ids_start = header_size + 2 * table_size
    offsets_ids, offsets_strs, blob = [], [], b""
    for item in ids:
        offsets_ids.append((len(item), ids_start + len(blob)))
        blob += item + b"\0"
    for item in strs:
        offsets_strs.append((len(item), ids_start + len(blob)))
        blob += item + b"\0"
    header = struct.pack(
        "<7I", 0x950412DE, 0, len(keys), header_size, header_size + table_size, 0, 0
    )
    tables = b"".join(struct.pack("<2I", *o) for o in offsets_ids + offsets_strs)
    path.parent.mkdir(parents=True)
    path.write_bytes(header + tables + blob)


def test_a_second_language_is_a_translation_file(tmp_path: Path) -> None:
    """Polish has three plural forms; the catalogue picks them by Polish rules, not English."""
    polish = (
        "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
    )
    write_mo(
        tmp_path / "pl" / "LC_MESSAGES" / f"{wording.DOMAIN}.mo",
        polish,
        {
            "{count} day\0{count} days": "{count} dzień\0{count} dni\0{count} dni",
            "{count} question due\0{count} questions due": (
                "{count} pytanie do powtórki\0{count} pytania do powtórki\0"
                "{count} pytań do powtórki"
            ),
            "weekday\x04Friday": "piątek",
            "on {weekday} at {time}": "w {weekday} o {time}",
        },
    )
    polish_words = wording.load(["pl"], tmp_path)
    assert wording.questions_due(1, polish_words) == "1 pytanie do powtórki"
    assert wording.questions_due(3, polish_words) == "3 pytania do powtórki"
    assert wording.questions_due(5, polish_words) == "5 pytań do powtórki"
    assert wording.questions_due(22, polish_words) == "22 pytania do powtórki"
    friday = datetime(2026, 3, 13, 18, 0, tzinfo=ZONE)
    assert wording.when(friday, TODAY, polish_words) == "w piątek o 18:00"
    # Untranslated phrases fall back to the English source, never to an error.
    assert wording.answers(2, polish_words) == "2 answers"


def test_a_missing_language_falls_back_to_the_source(tmp_path: Path) -> None:
    assert wording.days(2, wording.load(["xx"], tmp_path)) == "2 days"


def test_no_reply_says_one_or_more_with_s_in_brackets() -> None:
    """Copy counts with real plural forms; "(s)" after a word is the tell of a shortcut."""
    sources = Path(wording.__file__).parent.parent
    offenders = [
        f"{path}:{n}"
        for path in sources.rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"[\"'][^\"']*[a-z]\(s\)", line) and "http(s)" not in line
    ]
    assert offenders == []
