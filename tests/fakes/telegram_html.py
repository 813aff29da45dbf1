"""Parser for Telegram's ``parse_mode=HTML`` dialect.

Telegram accepts only a small, fixed set of tags and named entities, and rejects the whole message
when anything else appears. Content authors habitually write ``<br>`` or a bare ``&``, which a
browser forgives and Telegram does not, so the fake parses exactly like the server does and
produces the same plain text and UTF-16 based entities that a real ``Message`` would carry.

Deliberate strictness: a bare ``&`` that does not start a valid entity is an error here. That is
stricter than Telegram (which, as far as we know, keeps it literally) and is meant to catch text
that was not passed through ``html.escape``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["HtmlParseError", "ParsedText", "parse_html", "utf16_len"]

_TAG_ENTITY_TYPES: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-time": "date_time",
}
_NAMED_ENTITIES: dict[str, str] = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}

_SPECIAL = re.compile(r"[<&]")
_TAG_NAME = re.compile(r"[a-zA-Z0-9-]*")
_ATTR_NAME = re.compile(r"[a-zA-Z0-9_-]+")
_UNQUOTED_VALUE = re.compile(r"[^\s>]*")
_ENTITY = re.compile(r"&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,7}|[a-zA-Z][a-zA-Z0-9]{0,31});")
_WHITESPACE = " \t\r\n\f\v"


class HtmlParseError(ValueError):
    """The text is not valid Telegram HTML; ``str(err)`` reads like Telegram's reason."""


@dataclass(slots=True)
class ParsedText:
    """Plain text plus Bot API ``MessageEntity`` dicts, offsets in UTF-16 code units."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class _OpenTag:
    name: str
    attributes: dict[str, str]
    start: int  # UTF-16 offset in the output text


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: astral characters such as most emoji count twice."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(source: str, index: int) -> int:
    """Telegram reports error positions as UTF-8 byte offsets into the original text."""
    return len(source[:index].encode("utf-8"))


class _Parser:
    """Single-pass scanner; small state machine over the source string."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0
        self.out: list[str] = []
        self.out_len16 = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []

    def error(self, reason: str, index: int | None = None) -> HtmlParseError:
        if index is None:
            return HtmlParseError(reason)
        return HtmlParseError(f"{reason} at byte offset {_byte_offset(self.source, index)}")

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.out_len16 += utf16_len(text)

    def run(self) -> ParsedText:
        source = self.source
        while self.pos < len(source):
            match = _SPECIAL.search(source, self.pos)
            end = match.start() if match else len(source)
            if end > self.pos:
                self.emit(source[self.pos : end])
                self.pos = end
            if not match:
                break
            if source[end] == "&":
                self.emit(self.read_entity())
            elif source.startswith("</", end):
                self.close_tag()
            else:
                self.open_tag()
        if self.stack:
            raise self.error(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return ParsedText("".join(self.out), self.entities)

    def read_entity(self) -> str:
        start = self.pos
        match = _ENTITY.match(self.source, start)
        if not match:
            raise self.error('Character "&" must be escaped as "&amp;"', start)
        self.pos = match.end()
        return self.decode_entity(match.group(1), start)

    def decode_entity(self, body: str, start: int) -> str:
        if body.startswith("#"):
            digits = body[1:]
            code = int(digits[1:], 16) if digits[:1] in ("x", "X") else int(digits)
            if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise self.error(f'Invalid character reference "&{body};"', start)
            return chr(code)
        if body not in _NAMED_ENTITIES:
            raise self.error(f'Unsupported HTML entity "&{body};"', start)
        return _NAMED_ENTITIES[body]

    def open_tag(self) -> None:
        start = self.pos
        name_match = _TAG_NAME.match(self.source, start + 1)
        assert name_match is not None  # the pattern also matches the empty string
        name = name_match.group().lower()
        if name not in _TAG_ENTITY_TYPES:
            raise self.error(f'Unsupported start tag "{name}"', start)
        self.pos = name_match.end()
        attributes = self.read_attributes(name, start)
        self.check_attributes(name, attributes, start)
        self.stack.append(_OpenTag(name, attributes, self.out_len16))

    def read_attributes(self, tag: str, tag_start: int) -> dict[str, str]:
        attributes: dict[str, str] = {}
        source = self.source
        while True:
            self.skip_whitespace()
            if self.pos >= len(source):
                raise self.error("Unclosed start tag", tag_start)
            if source[self.pos] == ">":
                self.pos += 1
                return attributes
            name_match = _ATTR_NAME.match(source, self.pos)
            if not name_match:
                raise self.error(f'Empty attribute name in the tag "{tag}"', self.pos)
            self.pos = name_match.end()
            self.skip_whitespace()
            value = ""
            if self.pos < len(source) and source[self.pos] == "=":
                self.pos += 1
                self.skip_whitespace()
                value = self.read_attribute_value(tag_start)
            attributes[name_match.group().lower()] = value

    def read_attribute_value(self, tag_start: int) -> str:
        source = self.source
        if self.pos >= len(source):
            raise self.error("Unclosed start tag", tag_start)
        quote = source[self.pos]
        if quote in "\"'":
            end = source.find(quote, self.pos + 1)
            if end < 0:
                raise self.error("Unclosed start tag", tag_start)
            raw = source[self.pos + 1 : end]
            self.pos = end + 1
        else:
            match = _UNQUOTED_VALUE.match(source, self.pos)
            assert match is not None
            raw = match.group()
            self.pos = match.end()
        return _ENTITY.sub(lambda m: self.decode_entity(m.group(1), tag_start), raw)

    def skip_whitespace(self) -> None:
        source = self.source
        while self.pos < len(source) and source[self.pos] in _WHITESPACE:
            self.pos += 1

    def check_attributes(self, tag: str, attributes: dict[str, str], start: int) -> None:
        if tag == "span" and attributes.get("class") != "tg-spoiler":
            raise self.error('Tag "span" must have class "tg-spoiler"', start)
        if tag == "tg-emoji" and not attributes.get("emoji-id", "").isdigit():
            raise self.error('Tag "tg-emoji" must have a numeric attribute "emoji-id"', start)
        if tag == "tg-time" and not attributes.get("unix", "").lstrip("-").isdigit():
            raise self.error('Tag "tg-time" must have an integer attribute "unix"', start)

    def close_tag(self) -> None:
        start = self.pos
        name_match = _TAG_NAME.match(self.source, start + 2)
        assert name_match is not None
        name = name_match.group().lower()
        self.pos = name_match.end()
        self.skip_whitespace()
        if self.pos >= len(self.source) or self.source[self.pos] != ">":
            raise self.error("Can't find end of the tag", start)
        self.pos += 1
        if not self.stack:
            raise self.error("Unexpected end tag", start)
        top = self.stack[-1]
        if top.name != name:
            raise self.error(
                f"Unmatched end tag at byte offset {_byte_offset(self.source, start)}, "
                f'expected "</{top.name}>", found "</{name}>"'
            )
        self.stack.pop()
        self.add_entity(top)

    def add_entity(self, tag: _OpenTag) -> None:
        length = self.out_len16 - tag.start
        if length <= 0:
            return
        entity: dict[str, Any] = {
            "type": _TAG_ENTITY_TYPES[tag.name],
            "offset": tag.start,
            "length": length,
        }
        if tag.name == "a":
            self.describe_link(entity, tag)
        elif tag.name == "tg-emoji":
            entity["custom_emoji_id"] = tag.attributes["emoji-id"]
        elif tag.name == "blockquote" and "expandable" in tag.attributes:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "tg-time":
            entity["unix_time"] = int(tag.attributes["unix"])
            if tag.attributes.get("format"):
                entity["date_time_format"] = tag.attributes["format"]
        elif tag.name == "code" and tag.attributes.get("class", "").startswith("language-"):
            entity["language"] = tag.attributes["class"].removeprefix("language-")
        elif tag.name == "pre":
            self.merge_code_language(entity)
        self.entities.append(entity)

    def describe_link(self, entity: dict[str, Any], tag: _OpenTag) -> None:
        href = tag.attributes.get("href", "")
        user = re.fullmatch(r"tg://user\?id=(\d+)", href)
        if user:
            entity["type"] = "text_mention"
            entity["user"] = {"id": int(user.group(1)), "is_bot": False, "first_name": ""}
        else:
            entity["url"] = href

    def merge_code_language(self, pre: dict[str, Any]) -> None:
        """``<pre><code class="language-x">`` becomes one ``pre`` entity with a language."""
        for index, other in enumerate(self.entities):
            if (
                other["type"] == "code"
                and other["offset"] == pre["offset"]
                and other["length"] == pre["length"]
                and "language" in other
            ):
                pre["language"] = other["language"]
                del self.entities[index]
                return


def parse_html(source: str) -> ParsedText:
    """Parse Telegram HTML into text and entities; errors read like Telegram's."""
    return _Parser(source).run()
