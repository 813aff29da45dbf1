"""Telegram limits the content must respect, taken from `telegram.constants`.

Numbers are read from python-telegram-bot rather than copied, so a version bump that changes a
limit changes validation too. Where Telegram relaxed a limit recently we keep the older, stricter
one so content stays valid on every 22.x release.
"""

from __future__ import annotations

from telegram.constants import (
    InlineKeyboardButtonLimit,
    MessageLimit,
    PollLimit,
)

MESSAGE_MAX = int(MessageLimit.MAX_TEXT_LENGTH)
MESSAGE_ENTITIES_MAX = int(MessageLimit.MESSAGE_ENTITIES)
POLL_QUESTION_MAX = int(PollLimit.MAX_QUESTION_LENGTH)
POLL_OPTION_MAX = int(PollLimit.MAX_OPTION_LENGTH)
# Bot API 9.1 raised the option count from 10 to 12; 10 keeps quizzes valid on older servers.
POLL_OPTIONS_MAX = min(int(PollLimit.MAX_OPTION_NUMBER), 10)
POLL_OPTIONS_MIN = 2
EXPLANATION_MAX = int(PollLimit.MAX_EXPLANATION_LENGTH)
EXPLANATION_LINE_FEEDS_MAX = int(PollLimit.MAX_EXPLANATION_LINE_FEEDS)
CALLBACK_DATA_MAX = int(InlineKeyboardButtonLimit.MAX_CALLBACK_DATA)
DEEP_LINK_MAX = int(MessageLimit.DEEP_LINK_LENGTH)

# Room kept free in a message for what the bot adds around a content page: a title line, a page
# counter and a footer. A page or tip longer than this cannot be sent once decorated.
RENDER_OVERHEAD = 500
PAGE_MAX = MESSAGE_MAX - RENDER_OVERHEAD

# Ids end up in callback data ("quiz:<topic>") and deep links ("quiz_<topic>"), so keep them short.
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,31}$"
TITLE_MAX = 80
BUTTON_TITLE_MAX = 40
SUMMARY_MAX = 300

# The check-up course: a lesson is read in one sitting, an action under it with its buttons.
LESSON_MAX = 1000
ACTION_MAX = 900
CHECKUP_DAYS_MAX = 30
