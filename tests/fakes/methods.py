"""Bot API method handlers: validate like Telegram, update :class:`BotState`, return the result.

Each handler takes the state and the decoded parameters (plus uploaded files) and returns the
``result`` field of a successful answer, or raises :class:`ApiError`. ``getUpdates`` is not here
because long polling needs the event loop; see :mod:`tests.fakes.server`.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.fakes import photos
from tests.fakes import validation as v
from tests.fakes.state import BotState, JSONDict, PollRecord, now
from tests.fakes.telegram_html import utf16_len
from tests.fakes.validation import bad_request


@dataclass(slots=True)
class UploadedFile:
    """One multipart file part."""

    filename: str
    content_type: str
    data: bytes


@dataclass(slots=True)
class Call:
    """A decoded request as handlers see it."""

    params: dict[str, Any]
    files: dict[str, UploadedFile] = field(default_factory=dict)


Handler = Callable[[BotState, Call], Any]

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def _inline_markup(params: dict[str, Any]) -> JSONDict | None:
    """Messages only carry inline keyboards; reply keyboards are validated, then not echoed."""
    markup = v.reply_markup(params.get("reply_markup"))
    return markup if markup and "inline_keyboard" in markup else None


def _text_content(parsed: v.FormattedText, markup: JSONDict | None) -> JSONDict:
    content: JSONDict = {"text": parsed.text}
    if parsed.entities:
        content["entities"] = parsed.entities
    if markup:
        content["reply_markup"] = markup
    return content


# ------------------------------------------------------------------------------- bot settings


def get_me(state: BotState, call: Call) -> Any:
    return state.bot


def _commands_key(params: dict[str, Any]) -> str:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps([scope, params.get("language_code") or ""], sort_keys=True)


def set_my_commands(state: BotState, call: Call) -> Any:
    commands = v.bot_commands(call.params.get("commands"))
    state.commands[_commands_key(call.params)] = commands
    return True


def get_my_commands(state: BotState, call: Call) -> Any:
    return state.commands.get(_commands_key(call.params), [])


def delete_my_commands(state: BotState, call: Call) -> Any:
    state.commands.pop(_commands_key(call.params), None)
    return True


def _description_setter(field_name: str, limit: int) -> Handler:
    def handler(state: BotState, call: Call) -> Any:
        key = f"{field_name}:{call.params.get('language_code') or ''}"
        state.descriptions[key] = v.bot_description(call.params.get(field_name), limit)
        return True

    return handler


def _description_getter(field_name: str) -> Handler:
    def handler(state: BotState, call: Call) -> Any:
        key = f"{field_name}:{call.params.get('language_code') or ''}"
        return {field_name: state.descriptions.get(key, "")}

    return handler


_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")


def set_webhook(state: BotState, call: Call) -> Any:
    url = call.params.get("url") or ""
    if url and not str(url).startswith("https://"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = call.params.get("secret_token") or ""
    if secret and not _SECRET_TOKEN.fullmatch(str(secret)):
        raise bad_request("bad webhook: secret token contains unallowed characters")
    allowed = call.params.get("allowed_updates")
    if isinstance(allowed, list):
        state.allowed_updates = frozenset(allowed) if allowed else None
    if call.params.get("drop_pending_updates"):
        state.updates.clear()
    state.webhook_url = str(url)
    state.webhook_secret = str(secret)
    return True


def delete_webhook(state: BotState, call: Call) -> Any:
    state.webhook_url = ""
    state.webhook_secret = ""
    if call.params.get("drop_pending_updates"):
        state.updates.clear()
    return True


def get_webhook_info(state: BotState, call: Call) -> Any:
    info: JSONDict = {
        "url": state.webhook_url,
        "has_custom_certificate": False,
        "pending_update_count": len(state.updates),
    }
    if state.webhook_url:
        info["max_connections"] = 40
    return info


def return_true(state: BotState, call: Call) -> Any:
    return True


# ----------------------------------------------------------------------------------- messages


def send_message(state: BotState, call: Call) -> Any:
    chat = state.chat_for(call.params.get("chat_id"))
    parsed = v.message_text(call.params)
    return state.bot_message(chat, _text_content(parsed, _inline_markup(call.params)))


def _editable_message(state: BotState, params: dict[str, Any]) -> JSONDict:
    if params.get("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat = state.chat_for(params.get("chat_id"))
    message = state.find_message(chat, params.get("message_id"))
    if message is None or message.get("from") is not state.bot:
        raise bad_request("message to edit not found")
    return message


def edit_message_text(state: BotState, call: Call) -> Any:
    message = _editable_message(state, call.params)
    if "text" not in message:
        raise bad_request("there is no text in the message to edit")
    parsed = v.message_text(call.params)
    markup = _inline_markup(call.params)
    new = _text_content(parsed, markup)
    old = {key: message[key] for key in ("text", "entities", "reply_markup") if key in message}
    if new == old:
        raise bad_request(v.NOT_MODIFIED)
    for key in ("entities", "reply_markup"):
        message.pop(key, None)
    message.update(new)
    message["edit_date"] = now()
    return message


def edit_message_reply_markup(state: BotState, call: Call) -> Any:
    message = _editable_message(state, call.params)
    markup = _inline_markup(call.params)
    if markup == message.get("reply_markup"):
        raise bad_request(v.NOT_MODIFIED)
    message.pop("reply_markup", None)
    if markup:
        message["reply_markup"] = markup
    message["edit_date"] = now()
    return message


def delete_message(state: BotState, call: Call) -> Any:
    chat = state.chat_for(call.params.get("chat_id"), sending=False)
    message = state.find_message(chat, call.params.get("message_id"))
    if message is None:
        raise bad_request("message to delete not found")
    del chat.messages[message["message_id"]]
    return True


def send_chat_action(state: BotState, call: Call) -> Any:
    state.chat_for(call.params.get("chat_id"))
    if call.params.get("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


def answer_callback_query(state: BotState, call: Call) -> Any:
    record = state.callback_queries.get(str(call.params.get("callback_query_id") or ""))
    if record is None or record.answered:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    text = call.params.get("text") or ""
    if utf16_len(str(text)) > v.MAX_CALLBACK_ANSWER:
        raise bad_request("MESSAGE_TOO_LONG")
    record.answered = True
    record.answer = dict(call.params)
    return True


def answer_inline_query(state: BotState, call: Call) -> Any:
    """Answered once, before the query's lifetime runs out, with results Telegram would send."""
    record = state.inline_queries.get(str(call.params.get("inline_query_id") or ""))
    if (
        record is None
        or record.answered
        or time.monotonic() - record.created > state.inline_query_lifetime
    ):
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    v.inline_answer(call.params)
    record.answered = True
    record.answer = dict(call.params)
    return True


def send_document(state: BotState, call: Call) -> Any:
    chat = state.chat_for(call.params.get("chat_id"))
    document = _document(state, call)
    caption = v.caption_text(call.params)
    content: JSONDict = {"document": document}
    if caption.text:
        content["caption"] = caption.text
        if caption.entities:
            content["caption_entities"] = caption.entities
    markup = _inline_markup(call.params)
    if markup:
        content["reply_markup"] = markup
    return state.bot_message(chat, content)


def _document(state: BotState, call: Call) -> JSONDict:
    """A Document for an upload, an ``attach://`` reference, a file_id or a URL."""
    ref = call.params.get("document")
    upload = call.files.get("document")
    if isinstance(ref, str) and ref.startswith("attach://"):
        upload = call.files.get(ref.removeprefix("attach://"))
    if upload is not None:
        if len(upload.data) > v.MAX_UPLOAD_BYTES:
            raise v.ApiError(413, "Request Entity Too Large")
        digest = hashlib.sha1(upload.data).hexdigest()
        state.uploads[f"BQAC{digest}"] = upload.data
        return {
            "file_id": f"BQAC{digest}",
            "file_unique_id": f"AgAD{digest[:12]}",
            "file_name": upload.filename,
            "mime_type": upload.content_type,
            "file_size": len(upload.data),
        }
    if not isinstance(ref, str) or not ref:
        raise bad_request("there is no document in the request")
    digest = hashlib.sha1(ref.encode()).hexdigest()
    return {"file_id": ref, "file_unique_id": f"AgAD{digest[:12]}"}


# --------------------------------------------------------------------------------------- polls


def send_poll(state: BotState, call: Call) -> Any:
    chat = state.chat_for(call.params.get("chat_id"))
    spec = v.poll_spec(call.params)
    poll_id = state.new_poll_id()
    poll = _poll_object(poll_id, spec)
    message = state.bot_message(chat, {"poll": poll})
    markup = _inline_markup(call.params)
    if markup:
        message["reply_markup"] = markup
    state.polls[poll_id] = PollRecord(
        poll_id=poll_id,
        chat_id=chat.chat["id"],
        message_id=message["message_id"],
        question=spec.question.text,
        options=[option.text for option in spec.options],
        type=spec.poll_type,
        correct_option_ids=spec.correct_option_ids,
        is_anonymous=spec.is_anonymous,
        poll=poll,
    )
    state.last_poll_by_chat[chat.chat["id"]] = poll_id
    return message


def _poll_object(poll_id: str, spec: v.PollSpec) -> JSONDict:
    """A Poll as PTB 22.8 requires it (persistent_id, allows_revoting, members_only)."""
    options = []
    for index, option in enumerate(spec.options):
        item: JSONDict = {"text": option.text, "voter_count": 0, "persistent_id": str(index)}
        if option.entities:
            item["text_entities"] = option.entities
        options.append(item)
    poll: JSONDict = {
        "id": poll_id,
        "question": spec.question.text,
        "options": options,
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": spec.is_anonymous,
        "type": spec.poll_type,
        "allows_multiple_answers": spec.allows_multiple_answers,
        "allows_revoting": spec.poll_type != "quiz",
        "members_only": False,
    }
    if spec.question.entities:
        poll["question_entities"] = spec.question.entities
    if spec.correct_option_ids:
        poll["correct_option_ids"] = spec.correct_option_ids
    if spec.explanation and spec.explanation.text:
        poll["explanation"] = spec.explanation.text
        if spec.explanation.entities:
            poll["explanation_entities"] = spec.explanation.entities
    if spec.open_period:
        poll["open_period"] = spec.open_period
        poll["close_date"] = now() + spec.open_period
    return poll


def stop_poll(state: BotState, call: Call) -> Any:
    chat = state.chat_for(call.params.get("chat_id"))
    message = state.find_message(chat, call.params.get("message_id"))
    if message is None or "poll" not in message:
        raise bad_request("message with poll to stop not found")
    poll = message["poll"]
    if poll["is_closed"]:
        raise bad_request("poll has already been closed")
    poll["is_closed"] = True
    markup = _inline_markup(call.params)
    message.pop("reply_markup", None)
    if markup:
        message["reply_markup"] = markup
    return poll


HANDLERS: dict[str, Handler] = {
    "getMe": get_me,
    "logOut": return_true,
    "close": return_true,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setMyDescription": _description_setter("description", v.MAX_DESCRIPTION),
    "getMyDescription": _description_getter("description"),
    "setMyShortDescription": _description_setter("short_description", v.MAX_SHORT_DESCRIPTION),
    "getMyShortDescription": _description_getter("short_description"),
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "sendMessage": send_message,
    "editMessageText": edit_message_text,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "sendChatAction": send_chat_action,
    "answerCallbackQuery": answer_callback_query,
    "answerInlineQuery": answer_inline_query,
    "sendDocument": send_document,
    "sendPhoto": photos.send_photo,
    "sendPoll": send_poll,
    "stopPoll": stop_poll,
}
# Methods that consume the global ~30 msg/s budget (chat actions don't post messages).
RATE_LIMITED = frozenset({"sendMessage", "sendPoll", "sendDocument", "sendPhoto"})
