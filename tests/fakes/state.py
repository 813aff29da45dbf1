"""What the fake Telegram server remembers: users, chats, messages, polls, callbacks, updates.

Nothing here locks; :class:`tests.fakes.bot_api.FakeBotAPI` serialises access with one lock.
The shapes of the dicts are the Bot API's, so they can be returned to PTB unchanged.
"""

from __future__ import annotations

import copy
import itertools
import re
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.telegram_html import utf16_len
from tests.fakes.validation import ApiError, bad_request, callback_data_of

JSONDict = dict[str, Any]

BOT_ID = 7_000_000_001
BOT_USERNAME = "PrivacyAwareTestBot"
# Telegram's default when allowed_updates was never set: everything except these.
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{1,64})?")
# Seconds Telegram waits for answerInlineQuery before the query is "too old".
INLINE_QUERY_LIFETIME = 10.0
INLINE_CHAT_TYPES = frozenset({"sender", "private", "group", "supergroup", "channel"})


def now() -> int:
    return int(time.time())


@dataclass(slots=True)
class ChatState:
    """A private chat: its Chat object, a per-chat message id counter and the messages in it."""

    chat: JSONDict
    next_message_id: int = 1
    messages: dict[int, JSONDict] = field(default_factory=dict)

    def allocate_message_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id


@dataclass(slots=True)
class PollRecord:
    """A poll the bot sent; ``votes`` maps user id to that user's current option ids."""

    poll_id: str
    chat_id: int
    message_id: int
    question: str
    options: list[str]
    type: str
    correct_option_ids: list[int]
    is_anonymous: bool
    poll: JSONDict
    votes: dict[int, list[int]] = field(default_factory=dict)

    @property
    def correct_option_id(self) -> int | None:
        return self.correct_option_ids[0] if self.correct_option_ids else None

    @property
    def is_closed(self) -> bool:
        return bool(self.poll["is_closed"])


@dataclass(slots=True)
class CallbackRecord:
    """A callback query the fake issued; Telegram wants each answered exactly once."""

    query_id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    answered: bool = False
    answer: JSONDict | None = None


@dataclass(slots=True)
class InlineQueryRecord:
    """An inline query the fake issued; Telegram accepts one answer, within its lifetime."""

    query_id: str
    user_id: int
    query: str
    offset: str
    created: float  # time.monotonic()
    answered: bool = False
    answer: JSONDict | None = None


class BotState:
    """The server-side world of one bot token."""

    def __init__(self, bot_username: str = BOT_USERNAME, *, inline_mode: bool = False) -> None:
        self.bot: JSONDict = {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Privacy Awareness (test)",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": inline_mode,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.users: dict[int, JSONDict] = {}
        self.chats: dict[int, ChatState] = {}
        self.blocked: set[int] = set()
        self.polls: dict[str, PollRecord] = {}
        self.last_poll_by_chat: dict[int, str] = {}
        self.callback_queries: dict[str, CallbackRecord] = {}
        self.inline_queries: dict[str, InlineQueryRecord] = {}
        self.inline_query_lifetime = INLINE_QUERY_LIFETIME
        self.updates: deque[JSONDict] = deque()
        self.allowed_updates: frozenset[str] | None = None  # None: Telegram's default set
        self.webhook_url = ""
        self.webhook_secret = ""  # setWebhook's secret_token, sent back in every delivery
        self.commands: dict[str, list[dict[str, str]]] = {}
        self.descriptions: dict[str, str] = {}
        self.uploads: dict[str, bytes] = {}  # file_id -> the bytes the bot uploaded
        self._update_ids = itertools.count(100_001)
        self._last_update_id = 100_000
        self._poll_ids = itertools.count(5_000_000_000_000_000_001)
        self._callback_ids = itertools.count(4_000_000_000_000_000_001)
        self._inline_ids = itertools.count(3_000_000_000_000_000_001)

    # ------------------------------------------------------------------------ users and chats

    def add_user(
        self,
        user_id: int,
        first_name: str = "Ann",
        language_code: str | None = "en",
        *,
        last_name: str | None = None,
        username: str | None = None,
    ) -> JSONDict:
        """Make a user known (as if they had written to the bot) and return their User."""
        user = self.users.get(user_id)
        if user is None:
            user = {"id": user_id, "is_bot": False, "first_name": first_name}
            names = {"last_name": last_name, "username": username}
            user.update({key: value for key, value in names.items() if value})
            if language_code:
                user["language_code"] = language_code
            self.users[user_id] = user
            chat = {"id": user_id, "type": "private", "first_name": first_name}
            chat.update({key: value for key, value in names.items() if value})
            self.chats[user_id] = ChatState(chat)
        return user

    def require_user(self, user_id: int) -> JSONDict:
        user = self.users.get(user_id)
        return user if user is not None else self.add_user(user_id)

    def chat_for(self, chat_id: Any, *, sending: bool = True) -> ChatState:
        """Resolve ``chat_id`` the way Telegram answers for a private-chat bot."""
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        chat = self.chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise bad_request("chat not found")
        if sending and chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    # -------------------------------------------------------------------------------- messages

    def bot_message(self, chat: ChatState, content: JSONDict) -> JSONDict:
        """Store and return a new message from the bot."""
        message_id = chat.allocate_message_id()
        message = {
            "message_id": message_id,
            "from": self.bot,
            "chat": chat.chat,
            "date": now(),
            **content,
        }
        chat.messages[message_id] = message
        return message

    def find_message(self, chat: ChatState, message_id: Any) -> JSONDict | None:
        return chat.messages.get(message_id) if isinstance(message_id, int) else None

    def new_poll_id(self) -> str:
        return str(next(self._poll_ids))

    # --------------------------------------------------------------------------------- updates

    def push_update(self, update: JSONDict) -> int:
        """Queue an update; ids only ever increase, like Telegram's."""
        update = dict(update)
        given = update.get("update_id")
        if isinstance(given, int) and given > self._last_update_id:
            self._update_ids = itertools.count(given + 1)
            update_id = given
        else:
            update_id = next(self._update_ids)
        self._last_update_id = update_id
        update["update_id"] = update_id
        self.updates.append(update)
        return update_id

    def text_update(
        self, user_id: int, text: str, first_name: str, language_code: str | None
    ) -> int:
        user = self.add_user(user_id, first_name, language_code)
        chat = self.chats[user_id]
        message: JSONDict = {
            "message_id": chat.allocate_message_id(),
            "from": user,
            "chat": chat.chat,
            "date": now(),
            "text": text,
        }
        command = _COMMAND.match(text)
        if command:
            length = utf16_len(command.group())
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        chat.messages[message["message_id"]] = message
        return self.push_update({"message": message})

    def callback_update(self, user_id: int, message_id: int, data: str, strict: bool) -> str:
        chat = self.chats.get(user_id)
        message = chat.messages.get(message_id) if chat else None
        if chat is None or message is None or message.get("from") is not self.bot:
            raise ValueError(f"the bot sent no message {message_id} to chat {user_id}")
        if strict and data not in callback_data_of(message.get("reply_markup")):
            raise ValueError(
                f"message {message_id} has no button with callback_data {data!r}; "
                "pass strict=False to simulate stale or forged data"
            )
        query_id = str(next(self._callback_ids))
        self.callback_queries[query_id] = CallbackRecord(
            query_id, user_id, user_id, message_id, data
        )
        query = {
            "id": query_id,
            "from": self.require_user(user_id),
            "message": copy.deepcopy(message),
            "chat_instance": f"-{user_id}{BOT_ID}",
            "data": data,
        }
        self.push_update({"callback_query": query})
        return query_id

    def poll_answer_update(self, user_id: int, poll_id: str, option_ids: list[int]) -> int:
        record = self.polls.get(poll_id)
        if record is None:
            raise ValueError(f"unknown poll {poll_id!r}")
        if record.is_anonymous:
            raise ValueError("Telegram sends no poll_answer for anonymous polls")
        if record.is_closed:
            raise ValueError(f"poll {poll_id} is closed; users can no longer vote")
        if any(not 0 <= i < len(record.options) for i in option_ids):
            raise ValueError(f"option ids {option_ids} out of range for poll {poll_id}")
        self._count_vote(record, user_id, list(option_ids))
        answer = {
            "poll_id": poll_id,
            "user": self.require_user(user_id),
            "option_ids": list(option_ids),
            "option_persistent_ids": [str(i) for i in option_ids],
        }
        return self.push_update({"poll_answer": answer})

    def _count_vote(self, record: PollRecord, user_id: int, option_ids: list[int]) -> None:
        options = record.poll["options"]
        for previous in record.votes.pop(user_id, []):
            options[previous]["voter_count"] -= 1
        if option_ids:
            record.votes[user_id] = option_ids
            for option_id in option_ids:
                options[option_id]["voter_count"] += 1
        record.poll["total_voter_count"] = len(record.votes)

    def inline_query_update(
        self, user_id: int, query: str, offset: str, chat_type: str | None
    ) -> str:
        """The user types ``@bot query`` somewhere; Telegram asks the bot for results."""
        if not self.bot["supports_inline_queries"]:
            raise ValueError("Telegram sends inline queries only once /setinline switched them on")
        if utf16_len(query) > 256:
            raise ValueError("Telegram cuts inline queries at 256 characters")
        if chat_type is not None and chat_type not in INLINE_CHAT_TYPES:
            raise ValueError(f"chat_type must be one of {sorted(INLINE_CHAT_TYPES)}")
        query_id = str(next(self._inline_ids))
        self.inline_queries[query_id] = InlineQueryRecord(
            query_id, user_id, query, offset, time.monotonic()
        )
        # Anyone may type @bot in any chat: a stranger is not a chat the bot may write to.
        stranger = {"id": user_id, "is_bot": False, "first_name": "Ann", "language_code": "en"}
        inline: JSONDict = {
            "id": query_id,
            "from": self.users.get(user_id, stranger),
            "query": query,
            "offset": offset,
        }
        if chat_type is not None:
            inline["chat_type"] = chat_type
        self.push_update({"inline_query": inline})
        return query_id

    def member_update(self, user_id: int, status: str) -> int:
        if status not in ("kicked", "member"):
            raise ValueError("status must be 'kicked' or 'member'")
        user = self.require_user(user_id)
        kicked = {"status": "kicked", "user": self.bot, "until_date": 0}
        member = {"status": "member", "user": self.bot}
        old, new = (member, kicked) if status == "kicked" else (kicked, member)
        if status == "kicked":
            self.blocked.add(user_id)
        else:
            self.blocked.discard(user_id)
        change = {
            "chat": self.chats[user_id].chat,
            "from": user,
            "date": now(),
            "old_chat_member": old,
            "new_chat_member": new,
        }
        return self.push_update({"my_chat_member": change})

    def take_updates(self, offset: int | None, limit: int) -> list[JSONDict]:
        """getUpdates semantics: confirm everything below ``offset``, drop disallowed types."""
        updates = self.updates
        if offset is not None and offset < 0:
            while len(updates) > -offset:
                updates.popleft()
        elif offset:
            while updates and updates[0]["update_id"] < offset:
                updates.popleft()
        if self.allowed_updates is not None or any(_excluded_by_default(u) for u in updates):
            self.updates = updates = deque(u for u in updates if self.is_allowed(u))
        return list(itertools.islice(updates, limit))

    def is_allowed(self, update: JSONDict) -> bool:
        kind = update_type(update)
        if self.allowed_updates is None:
            return kind not in DEFAULT_EXCLUDED_UPDATES
        return kind in self.allowed_updates


def update_type(update: JSONDict) -> str:
    """The one payload field of an update besides ``update_id``."""
    return next((key for key in update if key != "update_id"), "")


def _excluded_by_default(update: JSONDict) -> bool:
    return update_type(update) in DEFAULT_EXCLUDED_UPDATES
