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
    processor = PerUserUpdateProcessor(in_flight=8)
    done: list[tuple[int, int]] = []
    running = {1: 0}
    most_at_once = 0

    async def work(user_id: int, n: int, seconds: float) -> None:
        nonlocal most_at_once
        running[user_id] = running.get(user_id, 0) + 1
        most_at_once = max(most_at_once, running[1])
        await asyncio.sleep(seconds)
        running[user_id] -= 1
        done.append((user_id, n))

    # Later updates are quicker: handled at once, they would finish in reverse order.
    busy = [
        asyncio.create_task(
            processor.process_update(update_from(1, n), work(1, n, 0.06 - 0.01 * n))
        )
        for n in range(6)
    ]
    await asyncio.sleep(0.01)
    other = asyncio.create_task(processor.process_update(update_from(2, 99), work(2, 0, 0.0)))
    await asyncio.wait_for(other, timeout=0.1)  # not stuck behind user 1's queue
    await asyncio.gather(*busy)
    assert [n for user, n in done if user == 1] == list(range(6))
    assert most_at_once == 1
    assert done.index((2, 0)) < 2


async def test_a_busy_user_does_not_take_every_slot() -> None:
    processor = PerUserUpdateProcessor(in_flight=2)
    release = asyncio.Event()

    async def slow() -> None:
        await release.wait()

    async def quick() -> None:
        return None

    busy = [
        asyncio.create_task(processor.process_update(update_from(1, n), slow())) for n in range(10)
    ]
    await asyncio.sleep(0.01)
    other = asyncio.create_task(processor.process_update(update_from(2, 99), quick()))
    await asyncio.wait_for(other, timeout=0.5)
    release.set()
    await asyncio.gather(*busy)
