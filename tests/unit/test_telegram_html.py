"""Telegram's HTML subset: what Telegram accepts, rejects, and how long it is."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.telegram_html import TelegramHtmlError, escape, parse, utf16_length


@pytest.mark.parametrize(
    ("markup", "visible"),
    [
        ("<b>bold</b> &amp; <i>it</i>", "bold & it"),
        ('<a href="https://eff.org/">EFF</a>', "EFF"),
        ('<span class="tg-spoiler">hidden</span>', "hidden"),
        ("<blockquote expandable>quote</blockquote>", "quote"),
        ("&lt;not a tag&gt; &#8250; &#x2022;", "<not a tag> › •"),
        ("x > y", "x > y"),
    ],
)
def test_accepted_markup_and_visible_text(markup: str, visible: str) -> None:
    assert parse(markup).text == visible


@pytest.mark.parametrize(
    ("markup", "reason"),
    [
        ("line<br>break", "unsupported tag <br>"),
        ("<p>para</p>", "unsupported tag <p>"),
        ("<b>open", "<b> is never closed"),
        ("<b><i>x</b></i>", "found where </i> was expected"),
        ("closing</b>", "closes nothing"),
        ("fish & chips", 'unescaped "&"'),
        ("a < b", 'unescaped "<"'),
        ("&nbsp;", "unknown entity"),
        ('<a href="javascript:alert(1)">x</a>', "needs an href"),
        ('<span class="red">x</span>', "tg-spoiler"),
        ('<b style="x">x</b>', 'does not accept attribute "style"'),
    ],
)
def test_rejected_markup_says_why(markup: str, reason: str) -> None:
    with pytest.raises(TelegramHtmlError, match=reason):
        parse(markup)


def test_length_counts_utf16_units_like_telegram() -> None:
    assert utf16_length("abc") == 3
    assert utf16_length("📹") == 2  # outside the BMP: a surrogate pair
    assert parse("<b>📹 ok</b>").length == 5


@given(st.text())
def test_escaped_plain_text_always_parses_back(text: str) -> None:
    assert parse(escape(text)).text == text.strip()
