"""Delivery passes against real SQLite and PostgreSQL, with a scripted sender and fake clock.

The sender stands in for Telegram here (the Bot API versions are in tests/integration); these
tests pin the ledger rules: one tip per user per local day, in-doubt never resent, catch-up.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict, deque
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.core.content import ContentBank, Tip
from bot.core.delivery import DeliveryPolicy, LedgerStatus, PassReport, SendOutcome, SendStatus
from bot.delivery.daily_pass import DeliveryPass
from bot.flows import subscriptions as daily_tips
from bot.flows.tips import next_tip_for
from bot.storage.database import Database
from bot.storage.repositories import deliveries, tips, users
from bot.storage.tables import TIP_DELIVERIES
from tests.storage import queries

NOON = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
UTC_ZONE = ZoneInfo("UTC")


class ScriptedSender:
    """Records every send; per-user scripts of outcomes, default "sent"."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []
        self.calls: defaultdict[int, int] = defaultdict(int)
        self.scripts: dict[int, deque[SendOutcome]] = {}
        self._next_id = 1

    def script(self, user_id: int, *statuses: SendOutcome) -> None:
        self.scripts[user_id] = deque(statuses)

    async def send_tip(self, user_id: int, tip: Tip) -> SendOutcome:
        self.calls[user_id] += 1
        await asyncio.sleep(0)
        script = self.scripts.get(user_id)
        outcome = script.popleft() if script else SendOutcome(SendStatus.SENT)
        if outcome.status is SendStatus.SENT:
            self.sent.append((user_id, tip.id))
            self._next_id += 1
            return SendOutcome(SendStatus.SENT, message_id=self._next_id)
        return outcome


class FakeTime:
    def __init__(self) -> None:
        self.mono = 0.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.mono

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.mono += seconds
        await asyncio.sleep(0)


def subscribe(
    db: Database, user_id: int, at: time, now: datetime, zone: str | None = None
) -> None:
    def work(connection) -> None:
        if zone:
            daily_tips.set_timezone(connection, user_id, zone, now, UTC_ZONE)
        daily_tips.subscribe(connection, user_id, at, now, UTC_ZONE)

    db.run_sync(work)


async def run(
    db: Database,
    bank: ContentBank,
    sender: ScriptedSender,
    now: datetime,
    fake: FakeTime | None = None,
    **policy: object,
) -> PassReport:
    fake = fake or FakeTime()
    delivery = DeliveryPass(
        db,
        bank,
        sender,
        clock=lambda: now,
        default_zone=UTC_ZONE,
        policy=DeliveryPolicy(rate_limit=1000, **policy),  # type: ignore[arg-type]
        sleep=fake.sleep,
        monotonic=fake.monotonic,
    )
    return await delivery.deliver()


def ledger(db: Database) -> dict[tuple[int, date], str]:
    rows = db.run_sync(
        lambda s: s.execute(
            select(TIP_DELIVERIES.c.user_id, TIP_DELIVERIES.c.local_date, TIP_DELIVERIES.c.status)
        ).all()
    )
    return {(user_id, day): status for user_id, day, status in rows}


async def test_pass_sends_exactly_one_tip_to_each_due_subscriber(
    database: Database, content_bank: ContentBank
) -> None:
    before = NOON - timedelta(hours=6)
    for user_id in range(1, 31):
        subscribe(database, user_id, time(9, 0), before)  # due at 09:00 UTC
    subscribe(database, 99, time(18, 0), before)  # not due until 18:00
    sender = ScriptedSender()
    report = await run(database, content_bank, sender, NOON)
    assert report.sent == 30
    assert sorted(user for user, _ in sender.sent) == list(range(1, 31))
    assert set(ledger(database).values()) == {"sent"}
    # Another pass the same minute (or a second process) finds nobody due.
    again = await run(database, content_bank, sender, NOON)
    assert (again.sent, len(sender.sent)) == (0, 30)


async def test_next_day_brings_the_next_unseen_tip(
    database: Database, content_bank: ContentBank
) -> None:
    subscribe(database, 7, time(9, 0), NOON - timedelta(hours=6))
    sender = ScriptedSender()
    for day in range(3):
        await run(database, content_bank, sender, NOON + timedelta(days=day))
    assert [tip_id for _, tip_id in sender.sent] == [t.id for t in content_bank.tips[:3]]
    assert database.run_sync(lambda s: len(tips.history(s, 7))) == 3


async def test_a_second_pass_racing_the_first_cannot_double_send(
    database: Database, content_bank: ContentBank
) -> None:
    for user_id in range(1, 21):
        subscribe(database, user_id, time(9, 0), NOON - timedelta(hours=6))
    sender = ScriptedSender()
    await asyncio.gather(
        run(database, content_bank, sender, NOON), run(database, content_bank, sender, NOON)
    )
    assert sorted(user for user, _ in sender.sent) == list(range(1, 21))


async def test_a_429_past_the_limiters_retries_is_given_back_for_the_next_pass(
    database: Database, content_bank: ContentBank
) -> None:
    # The rate limiter pauses and retries 429s; one that reaches the pass was not delivered,
    # so its claim is released when the pass ends (not resent within it) and sent later today.
    for user_id in (1, 2):
        subscribe(database, user_id, time(9, 0), NOON - timedelta(hours=6))
    sender = ScriptedSender()
    sender.script(1, SendOutcome(SendStatus.RETRY_AFTER, retry_after=7))
    report = await run(database, content_bank, sender, NOON)
    assert (report.sent, report.deferred, report.failed) == (1, 1, 0)
    assert sender.calls[1] == 1
    assert (1, NOON.date()) not in ledger(database)
    later = await run(database, content_bank, sender, NOON + timedelta(minutes=1))
    assert later.sent == 1
    assert sorted(user for user, _ in sender.sent) == [1, 2]


async def test_timeout_is_in_doubt_and_never_resent(
    database: Database, content_bank: ContentBank
) -> None:
    subscribe(database, 1, time(9, 0), NOON - timedelta(hours=6))
    sender = ScriptedSender()
    sender.script(1, SendOutcome(SendStatus.TIMED_OUT))
    report = await run(database, content_bank, sender, NOON)
    assert report.in_doubt == 1
    await run(database, content_bank, sender, NOON + timedelta(hours=1))
    assert sender.calls[1] == 1
    assert ledger(database) == {(1, NOON.date()): "in_doubt"}
    # Maybe delivered counts as seen, so tomorrow brings a different tip.
    assert database.run_sync(lambda s: len(tips.history(s, 1))) == 1


async def test_network_errors_back_off_then_succeed(
    database: Database, content_bank: ContentBank
) -> None:
    subscribe(database, 1, time(9, 0), NOON - timedelta(hours=6))
    sender = ScriptedSender()
    failure = SendOutcome(SendStatus.NETWORK_ERROR)
    sender.script(1, failure, failure)
    fake = FakeTime()
    report = await run(database, content_bank, sender, NOON, fake)
    assert report.sent == 1
    assert sender.calls[1] == 3
    assert [s for s in fake.slept if s >= 1] == [1.0, 2.0]


async def test_network_errors_give_up_for_the_day(
    database: Database, content_bank: ContentBank
) -> None:
    subscribe(database, 1, time(9, 0), NOON - timedelta(hours=6))
    sender = ScriptedSender()
    failure = SendOutcome(SendStatus.NETWORK_ERROR)
    sender.script(1, *[failure] * 10)
    report = await run(database, content_bank, sender, NOON)
    assert (report.failed, sender.calls[1]) == (1, 3)
    await run(database, content_bank, sender, NOON + timedelta(hours=2))
    assert sender.calls[1] == 3  # given up for today ...
    sender.scripts.clear()
    tomorrow = await run(database, content_bank, sender, NOON + timedelta(days=1))
    assert tomorrow.sent == 1  # ... but tomorrow is a new day


async def test_blocked_user_is_marked_unreachable_until_start(
    database: Database, content_bank: ContentBank
) -> None:
    subscribe(database, 1, time(9, 0), NOON - timedelta(hours=6))
    sender = ScriptedSender()
    sender.script(1, SendOutcome(SendStatus.BLOCKED))
    report = await run(database, content_bank, sender, NOON)
    assert report.blocked == 1
    assert database.run_sync(lambda s: queries.is_reachable(s, 1)) is False
    skipped = await run(database, content_bank, sender, NOON + timedelta(days=1))
    assert (skipped.sent, skipped.skipped, sender.calls[1]) == (0, 1, 1)
    database.run_sync(lambda s: users.touch(s, 1, NOON + timedelta(days=1, hours=1)))  # /start
    back = await run(database, content_bank, sender, NOON + timedelta(days=2))
    assert back.sent == 1


async def test_catch_up_after_downtime_sends_today_but_never_yesterday(
    database: Database, content_bank: ContentBank
) -> None:
    day_before = NOON - timedelta(days=1, hours=6)  # 06:00 yesterday
    subscribe(database, 1, time(9, 0), day_before)  # was due yesterday 09:00 and today 09:00
    subscribe(database, 2, time(20, 0), day_before)  # was due yesterday 20:00; today's is ahead
    sender = ScriptedSender()
    report = await run(database, content_bank, sender, NOON)  # back up today at 12:00
    assert [user for user, _ in sender.sent] == [1]
    assert report.skipped == 1
    assert set(ledger(database)) == {(1, NOON.date())}
    evening = await run(database, content_bank, sender, NOON + timedelta(hours=8))
    assert evening.sent == 1
    assert set(ledger(database)) == {(1, NOON.date()), (2, NOON.date())}


async def test_claims_of_a_dead_pass_become_in_doubt_after_the_lease(
    database: Database, content_bank: ContentBank
) -> None:
    subscribe(database, 1, time(9, 0), NOON - timedelta(hours=6))
    tip_id = content_bank.tips[0].id
    claim = deliveries.Claim(1, NOON.date(), tip_id)
    database.run_sync(lambda s: deliveries.claim_many(s, [claim], NOON - timedelta(minutes=30)))
    sender = ScriptedSender()
    report = await run(database, content_bank, sender, NOON)
    assert (report.recovered, report.in_doubt, report.sent) == (1, 1, 0)
    assert sender.calls[1] == 0
    assert ledger(database) == {(1, NOON.date()): "in_doubt"}


async def test_fresh_claims_of_a_running_pass_are_left_alone(
    database: Database, content_bank: ContentBank
) -> None:
    claim = deliveries.Claim(1, NOON.date(), content_bank.tips[0].id)
    database.run_sync(lambda s: users.touch(s, 1, NOON))
    database.run_sync(lambda s: deliveries.claim_many(s, [claim], NOON - timedelta(seconds=5)))
    report = await run(database, content_bank, ScriptedSender(), NOON)
    assert report.recovered == 0
    assert ledger(database) == {(1, NOON.date()): "claimed"}


async def test_paused_and_unsubscribed_users_get_nothing(
    database: Database, content_bank: ContentBank
) -> None:
    before = NOON - timedelta(hours=6)
    for user_id in (1, 2):
        subscribe(database, user_id, time(9, 0), before)
    database.run_sync(lambda s: daily_tips.set_active(s, 2, False, before, UTC_ZONE))
    sender = ScriptedSender()
    await run(database, content_bank, sender, NOON)
    assert [user for user, _ in sender.sent] == [1]


async def test_cancelled_pass_gives_back_unsent_claims(
    database: Database, content_bank: ContentBank
) -> None:
    for user_id in range(1, 41):
        subscribe(database, user_id, time(9, 0), NOON - timedelta(hours=6))

    five_sent = asyncio.Event()

    class SlowSender(ScriptedSender):
        async def send_tip(self, user_id: int, tip: Tip) -> SendOutcome:
            await asyncio.sleep(0.01)
            outcome = await super().send_tip(user_id, tip)
            if len(self.sent) >= 5:
                five_sent.set()
            return outcome

    sender = SlowSender()
    delivery = DeliveryPass(
        database,
        content_bank,
        sender,
        clock=lambda: NOON,
        default_zone=UTC_ZONE,
        policy=DeliveryPolicy(rate_limit=1000, batch_size=20, concurrency=2),
    )
    task = asyncio.create_task(delivery.deliver())
    await five_sent.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    states = ledger(database)
    assert "claimed" not in states.values()
    assert len(states) == len(sender.sent)  # unsent claims were deleted, sent ones recorded
    rest = await run(database, content_bank, sender, NOON + timedelta(minutes=1))
    assert rest.sent == 40 - len(states)
    assert sorted(user for user, _ in sender.sent) == list(range(1, 41))


async def test_subscribers_in_many_zones_are_each_sent_at_their_local_time(
    database: Database, content_bank: ContentBank
) -> None:
    start = datetime(2026, 1, 14, 12, 0, tzinfo=UTC)
    zones = {1: "Asia/Kolkata", 2: "Asia/Kathmandu", 3: "America/New_York", 4: "Europe/London"}
    for user_id, zone in zones.items():
        subscribe(database, user_id, time(8, 0), start, zone)
    sender = ScriptedSender()
    sent_at: dict[int, datetime] = {}
    now = start
    while now < start + timedelta(days=1):  # one pass every 15 minutes for a day
        before = len(sender.sent)
        await run(database, content_bank, sender, now)
        for user_id, _ in sender.sent[before:]:
            sent_at[user_id] = now
        now += timedelta(minutes=15)
    assert sent_at == {
        1: datetime(2026, 1, 15, 2, 30, tzinfo=UTC),
        2: datetime(2026, 1, 15, 2, 15, tzinfo=UTC),
        3: datetime(2026, 1, 14, 13, 0, tzinfo=UTC),
        4: datetime(2026, 1, 15, 8, 0, tzinfo=UTC),
    }


def test_outcomes_still_record_when_a_user_forgot_everything_mid_send(database: Database) -> None:
    from bot.flows.delivery import record_results
    from bot.flows.privacy import forget_user

    SENT = LedgerStatus.SENT
    from bot.storage.repositories.deliveries import Claim, Result

    for user_id in (5, 6):
        subscribe(database, user_id, time(9, 0), NOON - timedelta(hours=4))
    claims = [Claim(5, NOON.date(), "a"), Claim(6, NOON.date(), "b")]
    database.run_sync(lambda s: deliveries.claim_many(s, claims, NOON))
    database.run_sync(lambda s: forget_user(s, 5))  # /forget while the tips are in flight
    results = [Result(c.user_id, c.local_date, c.tip_id, SENT, 1) for c in claims]
    database.run_sync(lambda s: record_results(s, results, NOON))
    assert ledger(database) == {(6, NOON.date()): SENT}
    assert database.run_sync(lambda s: len(tips.history(s, 6))) == 1


def test_a_tip_asked_for_during_the_daily_send_is_a_different_one(
    database: Database, content_bank: ContentBank
) -> None:
    database.run_sync(lambda s: users.touch(s, 3, NOON))
    daily = content_bank.tips[0]  # what a user who has seen nothing gets first
    claim = deliveries.Claim(3, NOON.date(), daily.id)
    database.run_sync(lambda s: deliveries.claim_many(s, [claim], NOON))

    asked = database.run_sync(lambda s: next_tip_for(s, content_bank, 3, NOON))

    assert asked is not None
    assert asked.tip.id != daily.id
    assert asked.unseen_left == len(content_bank.tips) - 2


def test_a_tip_past_its_review_date_is_never_shown(database: Database) -> None:
    import datetime as dt

    from bot.core.content import ContentBank, Freshness, Platform, Source, Tip, Topic

    def tip(tip_id: str, review_by: dt.date | None) -> Tip:
        source = (Source("A report", "https://example.org/a/report"),)
        freshness = Freshness(dt.date(2026, 1, 1), review_by)
        return Tip(tip_id, "tt", tip_id, "Do it.", (Platform.ANY,), source, freshness)

    stale = tip("stale", NOON.date() - dt.timedelta(days=1))
    bank = ContentBank((Topic("tt", "T", "S"),), (), (), (stale, tip("fresh", None)))
    shown = [database.run_sync(lambda s: next_tip_for(s, bank, 7, NOON)) for _ in range(3)]
    assert [n.tip.id for n in shown if n is not None] == ["fresh", "fresh", "fresh"]
