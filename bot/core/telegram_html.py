"""Telegram's HTML subset: check markup the way the Bot API does and measure visible text.

Telegram rejects a message with an unsupported tag, an unclosed tag or an unknown named entity,
and it counts the 4096-character limit on the text left after the markup is parsed, in UTF-16
code units. Checking content with the same rules at load time turns a failed send in production
into a clear error for the author.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# Tag -> attributes Telegram accepts on it.
ALLOWED_TAGS: dict[str, frozenset[str]] = {
    "b": frozenset(),
    "strong": frozenset(),
    "i": frozenset(),
    "em": frozenset(),
    "u": frozenset(),
    "ins": frozenset(),
    "s": frozenset(),
    "strike": frozenset(),
    "del": frozenset(),
    "span": frozenset({"class"}),
    "tg-spoiler": frozenset(),
    "a": frozenset({"href"}),
    "tg-emoji": frozenset({"emoji-id"}),
    "code": frozenset({"class"}),
    "pre": frozenset(),
    "blockquote": frozenset({"expandable"}),
    "tg-time": frozenset({"unix", "format"}),
}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}

_TOKEN = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*?)?)\s*(/?)>|&([^;\s<>&]{1,32});|[<>&]"
)
_ATTRIBUTE = re.compile(r"""([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


class TelegramHtmlError(ValueError):
    """The markup would make Telegram answer "can't parse entities"."""


@dataclass(frozen=True, slots=True)
class ParsedHtml:
    """Visible text of a message and the number of formatting entities it creates."""

    text: str
    entity_count: int

    @property
    def length(self) -> int:
        """Length as Telegram counts it: UTF-16 code units."""
        return utf16_length(self.text)


def utf16_length(text: str) -> int:
    """Telegram measures text in UTF-16 code units; an emoji outside the BMP counts twice."""
    return len(text.encode("utf-16-le")) // 2


def parse(markup: str) -> ParsedHtml:
    """Parse Telegram HTML into its visible text, or raise TelegramHtmlError with the reason."""
    visible: list[str] = []
    stack: list[str] = []
    entities = 0
    position = 0
    for match in _TOKEN.finditer(markup):
        visible.append(markup[position : match.start()])
        position = match.end()
        token = match.group(0)
        if match.group(2):
            closing, name = match.group(1) == "/", match.group(2).lower()
            if closing:
                _close(stack, name, match.start())
            else:
                _check_start_tag(name, match.group(3) or "", match.start())
                if match.group(4) != "/":
                    stack.append(name)
                entities += 1
        elif match.group(5) is not None:
            visible.append(_entity(match.group(5), match.start()))
        elif token == "<":
            raise TelegramHtmlError(f'unescaped "<" at character {match.start()}; write &lt;')
        elif token == "&":
            raise TelegramHtmlError(f'unescaped "&" at character {match.start()}; write &amp;')
        else:
            visible.append(token)
    visible.append(markup[position:])
    if stack:
        raise TelegramHtmlError(f"<{stack[-1]}> is never closed")
    return ParsedHtml(text="".join(visible).strip(), entity_count=entities)


def visible_text(markup: str) -> str:
    """The text a reader sees, for measuring; raises TelegramHtmlError on bad markup."""
    return parse(markup).text


def _check_start_tag(name: str, raw_attributes: str, offset: int) -> None:
    if name not in ALLOWED_TAGS:
        raise TelegramHtmlError(f"unsupported tag <{name}> at character {offset}")
    attributes = {
        m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "")
        for m in _ATTRIBUTE.finditer(raw_attributes)
    }
    unknown = set(attributes) - ALLOWED_TAGS[name]
    if unknown:
        raise TelegramHtmlError(f'<{name}> does not accept attribute "{sorted(unknown)[0]}"')
    if name == "a" and not re.match(r"^(https?://|tg://|mailto:)\S+$", attributes.get("href", "")):
        raise TelegramHtmlError(f"<a> at character {offset} needs an href with an http(s) URL")
    if name == "span" and attributes.get("class") != "tg-spoiler":
        raise TelegramHtmlError('<span> is only allowed as <span class="tg-spoiler">')


def _close(stack: list[str], name: str, offset: int) -> None:
    if not stack:
        raise TelegramHtmlError(f"</{name}> at character {offset} closes nothing")
    if stack[-1] != name:
        raise TelegramHtmlError(
            f"</{name}> at character {offset} found where </{stack[-1]}> was expected"
        )
    stack.pop()


def _entity(body: str, offset: int) -> str:
    if body in NAMED_ENTITIES:
        return NAMED_ENTITIES[body]
    if re.fullmatch(r"#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}", body):
        return html.unescape(f"&{body};")
    raise TelegramHtmlError(f'unknown entity "&{body};" at character {offset}; write &amp;{body};')


def escape_attribute(text: str) -> str:
    """Escape a value for inside an HTML attribute (a link's href), quotes included."""
    return html.escape(text, quote=True)


def escape(text: str) -> str:
    """Escape plain text for an HTML message (quotes stay as they are; Telegram allows them)."""
    return html.escape(text, quote=False)


def quote_back(text: str, limit: int = 40) -> str:
    """A user's own words, shortened and escaped, for "I can't use “…”" replies.

    Echoing a whole message back could push a reply past Telegram's length limit, and echoing
    it unescaped would let the user's text break the reply's HTML.
    """
    flat = " ".join(text.split())
    short = flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
    return escape(short)
