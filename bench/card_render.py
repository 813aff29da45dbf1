"""Progress-card rendering time: p50/p95 over N renders, for a new user and a full one.

"Full" is a user with every topic of the shipped bank partly mastered, a streak, answers and
reviews due: the longest card. Each render draws the card and encodes the PNG, as the bot does
for every tap on "📊 Card"; the caption is timed with it. The target is under 100 ms.

Run: .venv/bin/python -m bench.card_render [--renders 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from bot.contentbank.loader import load_content
from bot.core.card import CardFacts, TopicBar, caption
from bot.core.content import ContentBank
from bot.images.card import font, render_card

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
TARGET_MS = 100.0


def new_user(bank: ContentBank) -> CardFacts:
    topics = tuple(TopicBar(t.title, 0, len(bank.questions_in(t.id))) for t in bank.topics)
    return CardFacts(date(2026, 3, 10), 0, 0, 0, 0, 0, topics)


def full_user(bank: ContentBank) -> CardFacts:
    topics = tuple(
        TopicBar(
            t.title, (i * 3) % (len(bank.questions_in(t.id)) + 1), len(bank.questions_in(t.id))
        )
        for i, t in enumerate(bank.topics)
    )
    return CardFacts(date(2026, 3, 10), 23, 41, 1240, 78, 9, topics)


def timings(facts: CardFacts, renders: int) -> tuple[list[float], int]:
    """Milliseconds per render, and the PNG's size in bytes."""
    size, spent = 0, []
    for _ in range(renders):
        started = time.perf_counter()
        size = len(render_card(facts))
        caption(facts)
        spent.append((time.perf_counter() - started) * 1000)
    return spent, size


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=200)
    args = parser.parse_args(argv)
    bank = load_content(CONTENT_DIR)
    font(76)  # the first load of the font is start-up cost, not a render's
    render_card(new_user(bank))
    print(f"{args.renders} renders each, {len(bank.topics)} topics in the bank")
    print(f"{'user':<10} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} {'PNG KiB':>8}")
    worst = 0.0
    for name, facts in (("new", new_user(bank)), ("full", full_user(bank))):
        spent, size = timings(facts, args.renders)
        p95 = percentile(spent, 0.95)
        worst = max(worst, p95)
        print(
            f"{name:<10} {percentile(spent, 0.50):>8.1f} {p95:>8.1f} "
            f"{statistics.fmean(spent):>8.1f} {size / 1024:>8.0f}"
        )
    verdict = "met" if worst < TARGET_MS else "MISSED"
    print(f"target p95 < {TARGET_MS:.0f} ms: {verdict} ({worst:.1f} ms)")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
