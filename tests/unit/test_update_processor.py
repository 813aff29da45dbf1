"""Per-user ordering without letting one busy user hold everybody up."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from telegram import (
    CallbackQuery,
    Chat,
    ChatMemberBanned,
    ChatMemberMember,
    ChatMemberUpdated,
    Message,
    PollAnswer,
    Update,
    User,
)

from bot.telegram.update_processor import NOTICE_INTERVAL, PerUserUpdateProcessor, may_skip


def update_from(user_id: int, update_id: int) -> Update:
    user = User(user_id, "Ann", is_bot=False)
    chat = Chat(user_id, Chat.PRIVATE)
    message = Message(update_id, date=None, chat=chat, from_user=user, text="hi")  # type: ignore[arg-type]
    return Update(update_id, message=message)


async def test_one_users_updates_run_in_order_and_others_are_not_held_up() -> None:
    processor = PerUserUpdateProcessor(in_flight=8, user_queue_limit=20)
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
    processor = PerUserUpdateProcessor(in_flight=2, user_queue_limit=20)
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


# Floods: a bound per user, one notice per burst, facts never skipped.


class Skips:
    """Records what the processor skipped and whether it asked for a notice."""

    def __init__(self) -> None:
        self.seen: list[tuple[int, bool]] = []

    async def __call__(self, update: object, notify: bool) -> None:
        assert isinstance(update, Update)
        self.seen.append((update.update_id, notify))

    @property
    def notices(self) -> int:
        return sum(1 for _, notify in self.seen if notify)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def poll_answer_from(user_id: int, update_id: int) -> Update:
    user = User(user_id, "Ann", is_bot=False)
    return Update(
        update_id, poll_answer=PollAnswer("poll-1", [0], user=user, option_persistent_ids=["0"])
    )


def button_from(user_id: int, update_id: int) -> Update:
    user = User(user_id, "Ann", is_bot=False)
    return Update(update_id, callback_query=CallbackQuery(str(update_id), user, "chat", data="x"))


def member_change_from(user_id: int, update_id: int) -> Update:
    user = User(user_id, "Ann", is_bot=False)
    bot = User(1, "bot", is_bot=True)
    when = datetime(2026, 3, 10, tzinfo=UTC)
    change = ChatMemberUpdated(
        Chat(user_id, Chat.PRIVATE),
        user,
        when,
        old_chat_member=ChatMemberMember(bot),
        new_chat_member=ChatMemberBanned(bot, until_date=when),
    )
    return Update(update_id, my_chat_member=change)


class Gate:
    """Work that waits until released, and notes which updates actually ran."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.ran: list[int] = []

    async def work(self, n: int) -> None:
        self.ran.append(n)
        await self.release.wait()


def flooding_processor(
    skips: Skips, limit: int = 3, accepted: int = 16, clock: Clock | None = None
) -> PerUserUpdateProcessor:
    return PerUserUpdateProcessor(
        in_flight=4,
        user_queue_limit=limit,
        on_skipped=skips,
        accepted_at_once=accepted,
        clock=clock or Clock(),
    )


def submit(processor: PerUserUpdateProcessor, update: Update, work: Any) -> asyncio.Task[None]:
    return asyncio.create_task(processor.process_update(update, work))


async def test_beyond_the_bound_messages_are_skipped_at_once_and_never_run() -> None:
    skips = Skips()
    processor = flooding_processor(skips, limit=3)
    gate = Gate()
    tasks = [submit(processor, update_from(1, n), gate.work(n)) for n in range(10)]
    # The first three wait on the gate; the seven skipped finish without it, and only the
    # first of them has anything to say.
    await asyncio.wait_for(asyncio.gather(*tasks[3:]), timeout=1.0)
    assert skips.seen == [(3, True)]
    gate.release.set()
    await asyncio.gather(*tasks)
    assert gate.ran == [0, 1, 2]


async def test_one_notice_per_burst_and_again_after_the_interval() -> None:
    skips = Skips()
    clock = Clock()
    processor = flooding_processor(skips, limit=2, clock=clock)
    gate = Gate()
    first = [submit(processor, update_from(1, n), gate.work(n)) for n in range(50)]
    await asyncio.wait_for(asyncio.gather(*first[2:]), timeout=1.0)
    assert skips.notices == 1
    assert skips.seen[0] == (2, True)
    clock.now += NOTICE_INTERVAL - 1  # same burst, still going: no second notice
    more = [submit(processor, update_from(1, n), gate.work(n)) for n in range(50, 60)]
    await asyncio.wait_for(asyncio.gather(*more), timeout=1.0)
    assert skips.notices == 1
    clock.now += 1  # a burst after the interval is told again
    later = submit(processor, update_from(1, 60), gate.work(60))
    await asyncio.wait_for(later, timeout=1.0)
    assert skips.seen[-1] == (60, True)
    assert skips.notices == 2
    gate.release.set()
    await asyncio.gather(*first)


async def test_each_user_gets_their_own_notice() -> None:
    skips = Skips()
    processor = flooding_processor(skips, limit=1)
    gate = Gate()
    tasks = [
        submit(processor, update_from(user, user * 100 + n), gate.work(n))
        for user in (1, 2)
        for n in range(5)
    ]
    await asyncio.wait_for(asyncio.gather(*tasks[1:5], *tasks[6:]), timeout=1.0)
    assert [seen for seen in skips.seen if seen[1]] == [(101, True), (201, True)]
    gate.release.set()
    await asyncio.gather(*tasks)


async def test_poll_answers_and_membership_changes_are_never_skipped() -> None:
    skips = Skips()
    processor = flooding_processor(skips, limit=2)
    gate = Gate()
    full = [submit(processor, update_from(1, n), gate.work(n)) for n in range(2)]
    kept = [
        submit(processor, poll_answer_from(1, 10), gate.work(10)),
        submit(processor, member_change_from(1, 11), gate.work(11)),
    ]
    skipped = submit(processor, update_from(1, 12), gate.work(12))
    await asyncio.wait_for(skipped, timeout=1.0)
    assert [n for n, _ in skips.seen] == [12]
    gate.release.set()
    await asyncio.gather(*full, *kept)
    assert gate.ran == [0, 1, 10, 11]  # kept, and in the user's order


async def test_every_skipped_button_tap_is_handed_over_to_be_answered() -> None:
    skips = Skips()
    processor = flooding_processor(skips, limit=1)
    gate = Gate()
    busy = submit(processor, button_from(1, 1), gate.work(1))
    taps = [submit(processor, button_from(1, n), gate.work(n)) for n in (2, 3)]
    await asyncio.wait_for(asyncio.gather(*taps), timeout=1.0)
    assert skips.seen == [(2, True), (3, False)]  # every tap, though one notice
    gate.release.set()
    await busy
    assert gate.ran == [1]


async def test_a_flood_never_holds_every_accepted_slot() -> None:
    # More updates from one user than PTB lets in at once: before the bound, the other user's
    # update would wait behind all of them.
    skips = Skips()
    processor = flooding_processor(skips, limit=3, accepted=8)
    gate = Gate()
    flood = [submit(processor, update_from(1, n), gate.work(n)) for n in range(200)]
    other = submit(processor, update_from(2, 999), asyncio.sleep(0))
    await asyncio.wait_for(other, timeout=1.0)
    assert not gate.release.is_set()
    assert gate.ran == [0]
    gate.release.set()
    await asyncio.gather(*flood)
    assert gate.ran == [0, 1, 2]


async def test_a_slow_down_reply_waits_for_a_slot_in_flight() -> None:
    # Replies share the HTTP pool sized for the updates in flight, so they take a slot too.
    skips = Skips()
    processor = PerUserUpdateProcessor(in_flight=1, user_queue_limit=1, on_skipped=skips)
    gate = Gate()
    holder = submit(processor, update_from(2, 1), gate.work(1))
    waiting = submit(processor, update_from(1, 2), gate.work(2))
    skipped = submit(processor, update_from(1, 3), gate.work(3))
    for _ in range(20):
        await asyncio.sleep(0)
    assert skips.seen == []
    assert not skipped.done()
    gate.release.set()
    await asyncio.wait_for(asyncio.gather(holder, waiting, skipped), timeout=1.0)
    assert skips.seen == [(3, True)]
    assert gate.ran == [1, 2]


def test_only_messages_and_button_taps_may_be_skipped() -> None:
    assert may_skip(update_from(1, 1))
    assert may_skip(button_from(1, 2))
    assert not may_skip(poll_answer_from(1, 3))
    assert not may_skip(member_change_from(1, 4))
    assert not may_skip(object())
