"""Callback data of the learning features: compact strings, parsed strictly.

Telegram allows 1-64 bytes. Anything that does not parse, or names an id the content bank does
not know, is treated as stale or forged and answered calmly without changing anything.
"""

from __future__ import annotations

import re

from bot.contentbank.limits import CALLBACK_DATA_MAX

MENU_LEARN = "menu:learn"
MENU_PROGRESS = "menu:progress"
QUIZ_START = "quiz:start"
REVIEW_START = "review:start"
TIP_NEXT = "tip:next"  # handled by the tips feature
DAILY_MENU = "sub:menu"  # handled by the daily-tips feature
FORGET_CONFIRM = "forget:yes"
FORGET_CANCEL = "forget:no"

_ID = r"[a-z0-9][a-z0-9-]{1,31}"
LEARN_PATTERN = re.compile(rf"^learn:(?P<topic>{_ID})(?::(?P<page>\d{{1,2}}))?$")
SOURCES_PATTERN = re.compile(rf"^src:(?P<topic>{_ID})$")
QUIZ_PATTERN = re.compile(rf"^quiz:start(?::(?P<topic>{_ID}))?$")


def checked(data: str) -> str:
    """Refuse callback data Telegram would reject (it allows 1-64 bytes)."""
    if not 1 <= len(data.encode()) <= CALLBACK_DATA_MAX:
        raise ValueError(f"callback data must be 1-{CALLBACK_DATA_MAX} bytes: {data!r}")
    return data


def open_topic(topic_id: str) -> str:
    """Open a topic's explainer in a new message (the message with the button stays)."""
    return checked(f"learn:{topic_id}")


def learn(topic_id: str, page: int) -> str:
    """Turn an explainer's message to `page` in place."""
    return checked(f"learn:{topic_id}:{page}")


def sources(topic_id: str) -> str:
    return checked(f"src:{topic_id}")


def quiz(topic_id: str | None = None) -> str:
    return checked(f"{QUIZ_START}:{topic_id}" if topic_id else QUIZ_START)
