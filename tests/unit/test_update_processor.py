"""Per-user ordering without letting one busy user hold everybody up."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update, User

from bot.telegram.update_processor import PerUserUpdateProcessor


def update_from(user_id: int, update_id: int) -> Update:
    user = User(user_id, "Ann", is_bot=False)
    chat = Chat(user_id, Chat.PRIVATE)
    message = Message(update_id, date=None, chat=chat, from_user=user, text="hi")  # type: ignore[arg-type]
    return Update(update_id, message=message)


async def test_one_users_updates_run_in_order_and_others_are_not_held_up() -> None:
    processor = PerUserUpdateProcessor(in_flight=2)
    done: list[tuple[int, int]] = []

    async def work(user_id: int, n: int, seconds: float) -> None:
        await asyncio.sleep(seconds)
        done.append((user_id, n))

    busy = [
        asyncio.create_task(processor.process_update(update_from(1, n), work(1, n, 0.05)))
        for n in range(6)
    ]
    await asyncio.sleep(0.01)
    other = asyncio.create_task(processor.process_update(update_from(2, 99), work(2, 0, 0.0)))
    await asyncio.wait_for(other, timeout=0.1)  # not stuck behind user 1's queue
    await asyncio.gather(*busy)
    assert [n for user, n in done if user == 1] == list(range(6))
    assert done.index((2, 0)) < 2
