"""Turn core results into Telegram HTML and inline keyboards.

Content fields that are Telegram HTML (pages, tips) go in as they are: they were validated at
load time. Everything else (titles, questions, options, sources) is plain text and is escaped.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.contentbank.limits import MESSAGE_MAX
from bot.core.content import ContentBank, Source
from bot.core.learning import DeepLink, ExplainerPage, LinkKind, share_url
from bot.core.telegram_html import escape, escape_attribute, parse, utf16_length
from bot.telegram.callbacks import checkup, daily, learn, menu, quiz, tips
from bot.telegram.callbacks.daily import DailyAction


def button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def share_button(bot_username: str, link: DeepLink) -> list[InlineKeyboardButton]:
    """A "Share" button, or nothing when the bot's username is not known yet."""
    if not bot_username:
        return []
    return [InlineKeyboardButton("🔗 Share", url=share_url(bot_username, link))]


MAIN_MENU = InlineKeyboardMarkup(
    [
        [button("📚 Learn", menu.LEARN), button("❓ Quiz", quiz.start())],
        [button("💡 Tip", tips.NEXT), button("📅 Daily tips", daily.action(DailyAction.MENU))],
        [button("🧭 Check-up", checkup.OPEN), button("📈 My progress", menu.PROGRESS)],
    ]
)


def main_menu() -> InlineKeyboardMarkup:
    """The /start menu; built once (PTB objects are immutable), sent with every welcome."""
    return MAIN_MENU


def topics_menu(bank: ContentBank) -> tuple[str, InlineKeyboardMarkup]:
    rows = [[button(topic.title, learn.open_topic(topic.id))] for topic in bank.topics]
    lines = ["<b>Pick a topic</b>", ""]
    lines += [f"• <b>{escape(t.title)}</b> — {escape(t.summary)}" for t in bank.topics]
    return fit("\n".join(lines)), InlineKeyboardMarkup(rows)


def explainer_page(page: ExplainerPage, bot_username: str) -> tuple[str, InlineKeyboardMarkup]:
    header = f"<b>{escape(page.explainer.title)}</b>  ·  {page.index + 1}/{page.total}"
    topic = page.topic.id
    navigation = []
    if page.index > 0:
        navigation.append(button("◀ Previous", learn.turn_page(topic, page.index - 1)))
    if not page.is_last:
        navigation.append(button("Next ▶", learn.turn_page(topic, page.index + 1)))
    rows = [
        navigation,
        [
            button("📎 Sources", learn.sources(topic)),
            button("❓ Quiz me on this", quiz.start(topic)),
        ],
        share_button(bot_username, DeepLink(LinkKind.TOPIC, topic)),
    ]
    return fit(f"{header}\n\n{page.body}"), InlineKeyboardMarkup([r for r in rows if r])


def source_line(source: Source) -> str:
    details = ", ".join(escape(part) for part in (source.publisher, source.date) if part)
    link = f'<a href="{escape_attribute(source.url)}">{escape(source.title)}</a>'
    return f"• {link}" + (f" — {details}" if details else "")


def sources_message(title: str, sources: tuple[Source, ...]) -> str:
    head = [f"<b>Sources: {escape(title)}</b>", ""]
    return within_limit(head, [source_line(s) for s in sources], [])


def fit(text: str) -> str:
    """Check Telegram's limit on the text a reader sees (after HTML parsing), and the HTML.

    Content is validated at load time, so this only catches our own rendering bugs, before
    Telegram does.
    """
    if utf16_length(text) <= MESSAGE_MAX:  # markup only adds length: no need to parse
        return text
    if parse(text).length > MESSAGE_MAX:
        raise ValueError("rendered message exceeds Telegram's limit")
    return text


def within_limit(head: list[str], items: list[str], tail: list[str]) -> str:
    """Join head, as many items as fit, and tail; say how many items were left out."""
    budget = MESSAGE_MAX - utf16_length("\n".join(head + tail)) - 40
    kept: list[str] = []
    for item in items:
        budget -= utf16_length(item) + 1
        if budget < 0:
            kept.append(f"… and {len(items) - len(kept)} more")
            break
        kept.append(item)
    return fit("\n".join(head + kept + tail))
