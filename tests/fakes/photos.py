"""sendPhoto for the fake Bot API: a multipart upload (or a file_id), checked like Telegram.

An upload must be a PNG or JPEG; a PNG's header must give dimensions Telegram accepts (width plus
height at most 10000, sides at most 20:1) and the file at most 10 MB. The bytes are kept in
``BotState.uploads`` under the photo's file_id, so a test can decode what the user would see.
"""

from __future__ import annotations

import hashlib
import struct
from typing import TYPE_CHECKING, Any

from tests.fakes import validation as v
from tests.fakes.state import BotState, JSONDict
from tests.fakes.validation import bad_request

if TYPE_CHECKING:
    from tests.fakes.methods import Call

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_SIDES_TOTAL = 10_000
MAX_RATIO = 20


def send_photo(state: BotState, call: Call) -> Any:
    chat = state.chat_for(call.params.get("chat_id"))
    photo = _photo_sizes(state, call)
    caption = v.caption_text(call.params)
    content: JSONDict = {"photo": photo}
    if caption.text:
        content["caption"] = caption.text
        if caption.entities:
            content["caption_entities"] = caption.entities
    markup = v.reply_markup(call.params.get("reply_markup"))
    if markup and "inline_keyboard" in markup:
        content["reply_markup"] = markup
    return state.bot_message(chat, content)


def _photo_sizes(state: BotState, call: Call) -> list[JSONDict]:
    ref = call.params.get("photo")
    upload = call.files.get("photo")
    if isinstance(ref, str) and ref.startswith("attach://"):
        upload = call.files.get(ref.removeprefix("attach://"))
    if upload is None:
        if not isinstance(ref, str) or not ref:
            raise bad_request("there is no photo in the request")
        digest = hashlib.sha1(ref.encode()).hexdigest()
        return [{"file_id": ref, "file_unique_id": f"AQAD{digest[:12]}", "width": 1, "height": 1}]
    width, height = image_size(upload.data)
    digest = hashlib.sha1(upload.data).hexdigest()
    file_id = f"AgAC{digest}"
    state.uploads[file_id] = upload.data
    size = {"file_id": file_id, "file_unique_id": f"AQAD{digest[:12]}"}
    return [{**size, "width": width, "height": height, "file_size": len(upload.data)}]


def image_size(data: bytes) -> tuple[int, int]:
    """(width, height) of an upload Telegram would take as a photo; ApiError otherwise."""
    if len(data) > MAX_PHOTO_BYTES:
        raise bad_request("PHOTO_SAVE_FILE_INVALID")
    if data.startswith(JPEG_SIGNATURE):
        return 1, 1  # accepted; the fake does not parse JPEG dimensions
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise bad_request("IMAGE_PROCESS_FAILED")
    width, height = struct.unpack(">II", data[16:24])
    if not width or not height:
        raise bad_request("IMAGE_PROCESS_FAILED")
    if width + height > MAX_SIDES_TOTAL or max(width, height) > MAX_RATIO * min(width, height):
        raise bad_request("PHOTO_INVALID_DIMENSIONS")
    return width, height
