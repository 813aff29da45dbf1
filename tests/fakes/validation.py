"""Request decoding and the Bot API's input limits, answered with Telegram's error texts.

The point of the fake is to fail where Telegram would fail: every limit here is one the real
server enforces (the Bot API documentation's limits). Where Telegram's exact wording is
unknown the description is a close, recognisable approximation that still starts with
``Bad Request:`` so PTB raises :class:`telegram.error.BadRequest`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.telegram_html import HtmlParseError, parse_html, utf16_len

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # a file a bot uploads with multipart/form-data
MAX_CALLBACK_DATA_BYTES = 64
MAX_BUTTONS = 100
MAX_BUTTONS_PER_ROW = 8
MAX_CALLBACK_ANSWER = 200
MAX_QUESTION = 300
MIN_OPTIONS, MAX_OPTIONS = 2, 10  # conservative: valid on every Bot API version PTB 22 targets
MAX_OPTION = 100
MAX_EXPLANATION = 200
MAX_EXPLANATION_LINE_FEEDS = 2
MIN_OPEN_PERIOD, MAX_OPEN_PERIOD = 5, 600
MAX_COMMANDS = 100
MAX_COMMAND_DESCRIPTION = 256
MAX_DESCRIPTION = 512
MAX_SHORT_DESCRIPTION = 120
MAX_INLINE_RESULTS = 50
MAX_INLINE_RESULT_ID_BYTES = 64
MAX_NEXT_OFFSET_BYTES = 64

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)

_INT_PARAMS = frozenset(
    {
        "chat_id",
        "message_id",
        "offset",
        "limit",
        "timeout",
        "open_period",
        "close_date",
        "correct_option_id",
        "message_thread_id",
        "reply_to_message_id",
        "cache_time",
        "max_connections",
        "user_id",
        "from_chat_id",
    }
)
_BOOL_PARAMS = frozenset(
    {
        "is_anonymous",
        "allows_multiple_answers",
        "is_closed",
        "show_alert",
        "disable_notification",
        "protect_content",
        "drop_pending_updates",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "disable_content_type_detection",
        "allow_paid_broadcast",
        "allows_revoting",
        "is_personal",
    }
)
_JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "options",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "allowed_updates",
        "correct_option_ids",
        "explanation_entities",
        "question_entities",
        "link_preview_options",
        "reply_parameters",
        "results",
        "button",
    }
)
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_BUTTON_URL = re.compile(r"(https?://[^\s/?#]+\.[^\s]*|https?://[^\s/?#]+|tg://[a-z_]+\S*)", re.I)
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_START_PARAMETER = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Every InlineQueryResult type the Bot API has; the fake checks articles in full.
_INLINE_RESULT_TYPES = frozenset(
    {
        "article",
        "audio",
        "contact",
        "document",
        "game",
        "gif",
        "location",
        "mpeg4_gif",
        "photo",
        "sticker",
        "venue",
        "video",
        "voice",
    }
)
_PARSE_MODES = {"html": "HTML", "markdownv2": "MarkdownV2", "markdown": "Markdown"}


class ApiError(Exception):
    """An error answer; turned into ``{"ok": false, "error_code", "description", ...}``."""

    def __init__(
        self, code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> ApiError:
    """Telegram prefixes every 400 description with ``Bad Request:``; PTB strips it again."""
    return ApiError(400, f"Bad Request: {reason}")


# --------------------------------------------------------------------------- parameter decoding


def coerce_params(raw: dict[str, Any]) -> dict[str, Any]:
    """Give parameters their Bot API types, the way Telegram does for every transport.

    PTB's HTTPXRequest sends form fields where every non-string value is ``json.dumps``-ed
    (``chat_id="42"``, ``is_anonymous="false"``, ``options='[{"text": "a"}]'``). JSON bodies may
    also carry JSON-serialized strings for object parameters, which Telegram accepts too.
    """
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, str):
            if key in _JSON_PARAMS:
                value = _decode_json_param(key, value)
            elif key in _INT_PARAMS:
                value = _decode_int_param(key, value)
            elif key in _BOOL_PARAMS:
                value = value.strip().lower() in ("true", "1")
        params[key] = value
    return params


def _decode_json_param(key: str, value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        if key == "reply_markup":
            raise bad_request("can't parse reply keyboard markup JSON object") from None
        raise bad_request(f"can't parse {key} JSON object") from None


def _decode_int_param(key: str, value: str) -> int | str:
    text = value.strip()
    if key == "chat_id" and text.startswith("@"):
        return text
    try:
        return int(text)
    except ValueError:
        raise bad_request(f"invalid {key} specified") from None


def optional_int(params: dict[str, Any], key: str) -> int | None:
    """Read an integer parameter that JSON bodies might still carry as a string."""
    value = params.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise bad_request(f"invalid {key} specified")
    result = _decode_int_param(key, value) if isinstance(value, str) else value
    if not isinstance(result, int):
        raise bad_request(f"invalid {key} specified")
    return result


# ------------------------------------------------------------------------------ formatted text


@dataclass(slots=True)
class FormattedText:
    """Text after entity parsing and trimming, as a Message would carry it."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)

    @property
    def length(self) -> int:
        return utf16_len(self.text)


def format_text(
    raw: Any, parse_mode: Any = None, entities: Any = None, *, trim: bool = True
) -> FormattedText:
    """Apply ``parse_mode`` (or explicit entities) and trim whitespace like Telegram."""
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raw = str(raw)
    if entities:
        parsed = FormattedText(raw, list(entities) if isinstance(entities, list) else [])
    else:
        parsed = _apply_parse_mode(raw, parse_mode)
    return _trim(parsed) if trim else parsed


def _apply_parse_mode(raw: str, parse_mode: Any) -> FormattedText:
    if parse_mode in (None, ""):
        return FormattedText(raw)
    mode = _PARSE_MODES.get(str(parse_mode).lower())
    if mode is None:
        raise bad_request(f"unsupported parse_mode {parse_mode!s}")
    if mode != "HTML":
        # Markdown is not used by this project; pass it through unparsed rather than guess.
        return FormattedText(raw)
    try:
        parsed = parse_html(raw)
    except HtmlParseError as err:
        raise bad_request(f"can't parse entities: {err}") from None
    return FormattedText(parsed.text, parsed.entities)


def _trim(parsed: FormattedText) -> FormattedText:
    """Telegram strips leading and trailing whitespace, then shifts entities to match."""
    text = parsed.text
    stripped = text.strip()
    if stripped == text:
        return parsed
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    new_len = utf16_len(stripped)
    entities = []
    for entity in parsed.entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, new_len)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return FormattedText(stripped, entities)


def message_text(params: dict[str, Any]) -> FormattedText:
    """``text`` of sendMessage/editMessageText: 1..4096 UTF-16 units after parsing."""
    parsed = format_text(params.get("text"), params.get("parse_mode"), params.get("entities"))
    if not parsed.text:
        raise bad_request("message text is empty")
    if parsed.length > MAX_TEXT:
        raise bad_request("message is too long")
    return parsed


def caption_text(params: dict[str, Any]) -> FormattedText:
    """Media captions may be empty but not longer than 1024 UTF-16 units after parsing."""
    parsed = format_text(
        params.get("caption"), params.get("parse_mode"), params.get("caption_entities")
    )
    if parsed.length > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return parsed


# ------------------------------------------------------------------------------ reply markup


def reply_markup(value: Any) -> dict[str, Any] | None:
    """Validate any reply markup; inline keyboards get Telegram's button rules."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in value:
        return {"inline_keyboard": _inline_keyboard(value["inline_keyboard"])}
    if not any(k in value for k in ("keyboard", "remove_keyboard", "force_reply")):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return value


def _inline_keyboard(rows: Any) -> list[list[dict[str, Any]]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            "can't parse inline keyboard button: InlineKeyboardMarkup must be an Array"
        )
    if sum(len(row) for row in rows) > MAX_BUTTONS:
        raise bad_request("reply markup is too long")
    for row in rows:
        if len(row) > MAX_BUTTONS_PER_ROW:
            raise bad_request("too many buttons in a row of the inline keyboard")
        for button in row:
            _inline_button(button)
    return rows


def _inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = [name for name in _BUTTON_ACTIONS if name in button]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise bad_request(
            "can't parse inline keyboard button: exactly one action field must be used"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if (
            not isinstance(data, str)
            or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
        ):
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not _BUTTON_URL.fullmatch(url):
            raise bad_request("BUTTON_URL_INVALID")


def callback_data_of(markup: dict[str, Any] | None) -> set[str]:
    """All callback_data values of an inline keyboard, for simulating real button presses."""
    if not markup or "inline_keyboard" not in markup:
        return set()
    return {
        button["callback_data"]
        for row in markup["inline_keyboard"]
        for button in row
        if "callback_data" in button
    }


# ------------------------------------------------------------------------------ inline mode


@dataclass(slots=True)
class InlineAnswer:
    """A validated answerInlineQuery: the results as sent, and what each message would show."""

    results: list[dict[str, Any]]
    messages: list[FormattedText]
    cache_time: int
    is_personal: bool
    next_offset: str
    button: dict[str, Any] | None


def inline_answer(params: dict[str, Any]) -> InlineAnswer:
    """answerInlineQuery: ≤ 50 results with unique 1-64 byte ids, each one sendable as is."""
    results = params.get("results")
    if not isinstance(results, list):
        raise bad_request("can't parse inline query results JSON object")
    if len(results) > MAX_INLINE_RESULTS:
        raise bad_request("RESULTS_TOO_MUCH")
    seen: set[str] = set()
    messages = []
    for result in results:
        result_id = _inline_result_id(result)
        if result_id in seen:
            raise bad_request("RESULT_ID_DUPLICATE")
        seen.add(result_id)
        messages.append(_inline_result(result))
    cache_time = optional_int(params, "cache_time")
    if cache_time is not None and cache_time < 0:
        raise bad_request("cache_time must be non-negative")
    next_offset = params.get("next_offset") or ""
    if not isinstance(next_offset, str) or len(next_offset.encode()) > MAX_NEXT_OFFSET_BYTES:
        raise bad_request("NEXT_OFFSET_INVALID")
    return InlineAnswer(
        results=results,
        messages=messages,
        cache_time=300 if cache_time is None else cache_time,  # Telegram's default
        is_personal=params.get("is_personal") is True,
        next_offset=next_offset,
        button=_results_button(params.get("button")),
    )


def _inline_result_id(result: Any) -> str:
    if not isinstance(result, dict):
        raise bad_request("can't parse inline query result JSON object")
    result_id = result.get("id")
    if (
        not isinstance(result_id, str)
        or not 1 <= len(result_id.encode()) <= MAX_INLINE_RESULT_ID_BYTES
    ):
        raise bad_request("RESULT_ID_INVALID")
    return result_id


def _inline_result(result: dict[str, Any]) -> FormattedText:
    """Check one result; returns the text its message would carry after parsing."""
    kind = result.get("type")
    if kind not in _INLINE_RESULT_TYPES:
        raise bad_request("RESULT_TYPE_INVALID")
    if kind != "article":
        raise bad_request(f"the fake Bot API does not model {kind} results")
    title = result.get("title")
    if not isinstance(title, str) or not title.strip():
        raise bad_request('can\'t parse inline query result: Field "title" must be of type String')
    for optional in ("description", "url"):
        if optional in result and not isinstance(result[optional], str):
            raise bad_request(
                f'can\'t parse inline query result: Field "{optional}" must be a String'
            )
    markup = reply_markup(result.get("reply_markup"))
    if markup is not None and "inline_keyboard" not in markup:
        raise bad_request("REPLY_MARKUP_INVALID")
    return _input_text_content(result.get("input_message_content"))


def _input_text_content(content: Any) -> FormattedText:
    if not isinstance(content, dict):
        raise bad_request(
            "can't parse inline query result: "
            'Field "input_message_content" must be of type Object'
        )
    if "message_text" not in content:
        raise bad_request("the fake Bot API models only InputTextMessageContent")
    parsed = format_text(
        content.get("message_text"), content.get("parse_mode"), content.get("entities")
    )
    if not parsed.text:
        raise bad_request("MESSAGE_EMPTY")
    if parsed.length > MAX_TEXT:
        raise bad_request("MESSAGE_TOO_LONG")
    return parsed


def _results_button(button: Any) -> dict[str, Any] | None:
    """InlineQueryResultsButton: text, and either a web app or a /start parameter."""
    if button is None:
        return None
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline query results button JSON object")
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    if ("web_app" in button) == ("start_parameter" in button):
        raise bad_request("exactly one of web_app and start_parameter must be specified")
    if "start_parameter" in button:
        parameter = button["start_parameter"]
        if not isinstance(parameter, str) or not _START_PARAMETER.fullmatch(parameter):
            raise bad_request("START_PARAM_INVALID")
    return button


# ------------------------------------------------------------------------------------ polls


@dataclass(slots=True)
class PollSpec:
    """A validated sendPoll request."""

    question: FormattedText
    options: list[FormattedText]
    poll_type: str
    correct_option_ids: list[int]
    explanation: FormattedText | None
    is_anonymous: bool
    allows_multiple_answers: bool
    open_period: int | None


def poll_spec(params: dict[str, Any]) -> PollSpec:
    """Validate sendPoll against the conservative limits that hold on every API version."""
    question = format_text(
        params.get("question"), params.get("question_parse_mode"), params.get("question_entities")
    )
    if not question.text:
        raise bad_request("poll question must be non-empty")
    if question.length > MAX_QUESTION:
        raise bad_request(f"poll question length must not exceed {MAX_QUESTION}")
    options = _poll_options(params.get("options"))
    poll_type = params.get("type") or "regular"
    if poll_type not in ("regular", "quiz"):
        raise bad_request("poll type is invalid")
    correct = _correct_option_ids(params, poll_type, len(options))
    return PollSpec(
        question=question,
        options=options,
        poll_type=poll_type,
        correct_option_ids=correct,
        explanation=_explanation(params, poll_type),
        is_anonymous=params.get("is_anonymous") is not False,
        allows_multiple_answers=bool(params.get("allows_multiple_answers")),
        open_period=_open_period(params),
    )


def _poll_options(value: Any) -> list[FormattedText]:
    if not isinstance(value, list):
        raise bad_request("can't parse options JSON object")
    if len(value) < MIN_OPTIONS:
        raise bad_request(f"poll must have at least {MIN_OPTIONS} option")
    if len(value) > MAX_OPTIONS:
        raise bad_request(f"poll can't have more than {MAX_OPTIONS} options")
    options = [_poll_option(item) for item in value]
    texts = [option.text for option in options]
    if len(set(texts)) != len(texts):
        raise bad_request("poll options must be unique")
    return options


def _poll_option(item: Any) -> FormattedText:
    if isinstance(item, str):
        option = format_text(item)
    elif isinstance(item, dict):
        option = format_text(
            item.get("text"), item.get("text_parse_mode"), item.get("text_entities")
        )
    else:
        raise bad_request("can't parse options JSON object")
    if not option.text:
        raise bad_request("poll options must be non-empty")
    if option.length > MAX_OPTION:
        raise bad_request(f"poll options length must not exceed {MAX_OPTION}")
    return option


def _correct_option_ids(params: dict[str, Any], poll_type: str, count: int) -> list[int]:
    ids = params.get("correct_option_ids")
    if ids is None and params.get("correct_option_id") is not None:
        ids = [params["correct_option_id"]]
    if poll_type != "quiz":
        return []
    if not ids:
        raise bad_request("QUIZ_CORRECT_ANSWERS_EMPTY")
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        raise bad_request("QUIZ_CORRECT_ANSWER_INVALID")
    if len(ids) != 1:
        raise bad_request("QUIZ_CORRECT_ANSWERS_TOO_MUCH")
    if not 0 <= ids[0] < count:
        raise bad_request("QUIZ_CORRECT_ANSWER_INVALID")
    return list(ids)


def _explanation(params: dict[str, Any], poll_type: str) -> FormattedText | None:
    if params.get("explanation") is None:
        return None
    if poll_type != "quiz":
        raise bad_request("explanation can be specified only for quizzes")
    parsed = format_text(
        params["explanation"],
        params.get("explanation_parse_mode"),
        params.get("explanation_entities"),
    )
    if parsed.length > MAX_EXPLANATION:
        raise bad_request("QUIZ_EXPLANATION_TOO_LONG: explanation must not exceed 200 characters")
    if parsed.text.count("\n") > MAX_EXPLANATION_LINE_FEEDS:
        raise bad_request(
            "QUIZ_EXPLANATION_TOO_LONG: explanation can't have more than 2 line feeds"
        )
    return parsed


def _open_period(params: dict[str, Any]) -> int | None:
    period = optional_int(params, "open_period")
    if period is None:
        return None
    if params.get("close_date") is not None:
        raise bad_request("open_period and close_date can't be used together")
    if not MIN_OPEN_PERIOD <= period <= MAX_OPEN_PERIOD:
        raise bad_request("POLL_OPEN_PERIOD_INVALID")
    return period


# -------------------------------------------------------------------------------- bot settings


def bot_commands(value: Any) -> list[dict[str, str]]:
    """setMyCommands: at most 100 commands of [a-z0-9_]{1,32} with 1..256 char descriptions.

    An empty list is accepted because Telegram accepts it (it clears the list).
    """
    if not isinstance(value, list):
        raise bad_request("can't parse commands JSON object")
    if len(value) > MAX_COMMANDS:
        raise bad_request("too many commands specified")
    commands = []
    for item in value:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand JSON object")
        command = item.get("command")
        description = item.get("description")
        if not isinstance(command, str) or not _COMMAND.fullmatch(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not description.strip():
            raise bad_request("command description is empty")
        if utf16_len(description) > MAX_COMMAND_DESCRIPTION:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        commands.append({"command": command, "description": description})
    return commands


def bot_description(value: Any, limit: int) -> str:
    """setMyDescription (512) / setMyShortDescription (120); empty clears it."""
    text = "" if value is None else str(value)
    if utf16_len(text) > limit:
        raise bad_request("description is too long")
    return text
