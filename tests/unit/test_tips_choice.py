"""Unseen-first tip order: nobody sees a repeat before every tip has been seen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.content import ContentBank, Platform, Tip
from bot.core.records import SeenTip
from bot.core.tips import choose_tip, count_unseen

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def tip(tip_id: str) -> Tip:
    return Tip(tip_id, "topic", tip_id.title(), "text", (Platform.ANY,), ())


TIPS = [tip("a"), tip("b"), tip("c")]


def test_unseen_tips_come_first_in_bank_order() -> None:
    history = {"a": SeenTip(1, T0)}
    chosen = choose_tip(TIPS, history)
    assert chosen is not None
    assert chosen.id == "b"


def test_walking_the_order_shows_every_tip_before_any_repeat() -> None:
    history: dict[str, SeenTip] = {}
    shown = []
    for step in range(7):
        chosen = choose_tip(TIPS, history)
        assert chosen is not None
        shown.append(chosen.id)
        old = history.get(chosen.id)
        history[chosen.id] = SeenTip((old.times_seen if old else 0) + 1, T0 + timedelta(step))
    assert shown == ["a", "b", "c", "a", "b", "c", "a"]


def test_after_a_full_round_the_longest_ago_seen_comes_next() -> None:
    history = {
        "a": SeenTip(1, T0 + timedelta(days=3)),
        "b": SeenTip(1, T0 + timedelta(days=1)),
        "c": SeenTip(1, T0 + timedelta(days=2)),
    }
    chosen = choose_tip(TIPS, history)
    assert chosen is not None
    assert chosen.id == "b"


def test_another_tip_never_repeats_the_one_just_shown() -> None:
    shown = choose_tip(TIPS, {})
    assert shown is not None
    history = {shown.id: SeenTip(1, datetime(2026, 1, 1, tzinfo=UTC))}
    following = choose_tip(TIPS, history)
    assert following is not None
    assert following.id != shown.id


def test_no_tips_means_none() -> None:
    assert choose_tip([], {}) is None


def test_count_unseen(content_bank: ContentBank) -> None:
    first = content_bank.tips[0]
    assert (
        count_unseen(content_bank.tips, {first.id: SeenTip(2, T0)}) == len(content_bank.tips) - 1
    )
