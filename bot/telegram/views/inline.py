"""Inline results: what `@bot face` lists, and the message each result sends into a chat.

The message lands in someone else's chat, where the reader may never have seen the bot: it
stands on its own (the tip with its source, the explainer's one-line summary, a question with
its options) and carries one link button that opens the bot at the same topic. A quiz question
shows no answer: polls cannot be sent inline, so the button takes the reader to the real quiz.
Content HTML (tip text) was validated at load time; every plain-text field is escaped here.
"""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
)
from telegram.constants import ParseMode

from bot.core.content import ContentBank, Explainer, Question, Tip
from bot.core.inline_search import Shareable
from bot.core.learning import DeepLink, LinkKind, share_url
from bot.core.telegram_html import escape, escape_attribute, parse
from bot.telegram.render import fit
from bot.telegram.views.tips import tip_body

LEARN_MORE = "📚 Learn more in the bot"
ANSWER_IN_BOT = "❓ Answer in the bot"
# Descriptions are the grey second line of a result; a phone shows about two lines of it.
DESCRIPTION_MAX = 120
OPTION_LETTERS = "ABCDEFGHIJ"
# A shared message needs no preview of its source page; the link is there to check the fact.
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def article(
    bank: ContentBank, shareable: Shareable, bot_username: str
) -> InlineQueryResultArticle:
    """The result for one item, its message and its "open the bot" button."""
    item = shareable.item
    if isinstance(item, Tip):
        return _result(
            shareable, f"💡 {item.title}", _plain(item.text), tip_body(item), bot_username
        )
    topic = bank.topic(item.topic)
    topic_title = topic.title if topic else item.topic
    if isinstance(item, Explainer):
        link = DeepLink(LinkKind.TOPIC, item.topic)
        text = explainer_message(item, share_url(bot_username, link))
        return _result(shareable, f"📚 {item.title}", item.summary, text, bot_username)
    return _result(
        shareable,
        f"❓ {item.question}",
        f"Quiz · {topic_title}",
        question_message(item, topic_title),
        bot_username,
    )


def explainer_message(explainer: Explainer, url: str) -> str:
    """The explainer's title and summary, and a line that links to the full read."""
    return "\n".join(
        [
            f"📚 <b>{escape(explainer.title)}</b>",
            "",
            escape(explainer.summary),
            "",
            f'<a href="{escape_attribute(url)}">Learn more in the bot</a>',
        ]
    )


def question_message(question: Question, topic_title: str) -> str:
    """The question and its options as text, lettered; the answer stays in the bot."""
    lines = [f"❓ <b>Quiz: {escape(topic_title)}</b>", "", escape(question.question), ""]
    lines += [
        f"{letter}. {escape(option)}"
        for letter, option in zip(OPTION_LETTERS, question.options, strict=False)
    ]
    lines += ["", "<i>What would you pick? Answer in the bot to find out.</i>"]
    return "\n".join(lines)


def open_button(shareable: Shareable, bot_username: str) -> InlineKeyboardMarkup:
    """One URL button: the topic's explainer for tips and explainers, its quiz for a question."""
    if isinstance(shareable.item, Question):
        text, link = ANSWER_IN_BOT, DeepLink(LinkKind.QUIZ, shareable.topic_id)
    else:
        text, link = LEARN_MORE, DeepLink(LinkKind.TOPIC, shareable.topic_id)
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, url=share_url(bot_username, link))]])


def _result(
    shareable: Shareable, title: str, description: str, text: str, bot_username: str
) -> InlineQueryResultArticle:
    content = InputTextMessageContent(
        fit(text), parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
    )
    return InlineQueryResultArticle(
        id=shareable.key,
        title=title,
        input_message_content=content,
        reply_markup=open_button(shareable, bot_username),
        description=_shortened(description),
    )


def _plain(markup: str) -> str:
    """Visible text of content HTML, on one line, for a result's description."""
    return " ".join(parse(markup).text.split())


def _shortened(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= DESCRIPTION_MAX:
        return text
    return text[: DESCRIPTION_MAX - 1].rstrip() + "…"
