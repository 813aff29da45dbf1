"""What `content check` prints: counts per topic, the cue statistics, and every problem."""

from __future__ import annotations

from bot.contentbank import quality
from bot.contentbank.cues import APPLIED_STYLES, CueStats
from bot.contentbank.loader import ContentReport
from bot.core.content import ContentBank, Difficulty

_WIDTHS = (6, 10, 6, 7, 6, 8, 6)


def content_table(bank: ContentBank) -> str:
    """Counts per topic: explainer pages, questions by difficulty, applied questions, tips."""
    header = (
        f"{'topic':<24}{'pages':>6}{'questions':>10}{'easy':>6}{'medium':>7}{'hard':>6}"
        f"{'applied':>8}{'tips':>6}"
    )
    lines = [header]
    totals = [0] * len(_WIDTHS)
    for topic in bank.topics:
        explainer = bank.explainer_for(topic.id)
        questions = bank.questions_in(topic.id)
        row = [
            len(explainer.pages) if explainer else 0,
            len(questions),
            *(sum(1 for q in questions if q.difficulty == d) for d in Difficulty),
            sum(1 for q in questions if q.style in APPLIED_STYLES),
            sum(1 for tip in bank.tips if tip.topic == topic.id),
        ]
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        lines.append(_row(topic.id, row))
    lines.append(_row("total", totals))
    return "\n".join(lines)


def _row(label: str, numbers: list[int]) -> str:
    return f"{label:<24}" + "".join(f"{n:>{w}}" for n, w in zip(numbers, _WIDTHS, strict=True))


def cue_table(stats: CueStats) -> str:
    """How far a test-wise guesser gets, each figure beside the limit `content check` applies."""
    yes_share = f"{stats.yes_keyed} of {stats.yes_no} keyed yes" if stats.yes_no else "none"
    rows = [
        ("key is the single longest option", f"{stats.key_longest:.0%}", "—"),
        (
            '"pick the longest" scores',
            f"{stats.pick_longest:.0%}",
            f"≤ {quality.MAX_PICK_LONGEST:.0%}",
        ),
        (
            '"pick the shortest" scores',
            f"{stats.pick_shortest:.0%}",
            f"≤ {quality.MAX_PICK_SHORTEST:.0%}",
        ),
        (
            "absolute words: keys / wrong options",
            f"{stats.absolute_in_keys:.0%} / {stats.absolute_in_wrong:.0%}",
            f"gap ≤ {quality.MAX_ABSOLUTE_GAP:.0%}",
        ),
        (
            "hedges: keys / wrong options",
            f"{stats.hedge_in_keys:.0%} / {stats.hedge_in_wrong:.0%}",
            "—",
        ),
        ("yes/no items", yes_share, f"each way ≥ {quality.MIN_YES_KEYED:.0%}"),
        (
            "keys in the commonest position",
            f"{stats.top_position_share:.0%}",
            f"≤ {quality.MAX_SHARE_OF_ONE_POSITION:.0%} per topic",
        ),
        ("scenario or decision questions", f"{stats.applied:.0%}", f"≥ {quality.MIN_APPLIED:.0%}"),
    ]
    width = max(len(name) for name, _, _ in rows)
    lines = [f"Cue statistics over {stats.questions} questions:"]
    lines += [f"  {name:<{width}}  {value:>16}  (limit {limit})" for name, value, limit in rows]
    return "\n".join(lines)


def freshness_line(report: ContentReport) -> str:
    """How many items carry a review date, and how many are past it (and out of rotation)."""
    bank = report.bank
    freshness = [item.freshness for _, item in bank.reviewed_items()]
    dated = sum(1 for item in freshness if item.review_by is not None)
    oldest = min((item.reviewed for item in freshness), default=None)
    return (
        f"Freshness: {len(freshness)} items, {dated} with review_by, {len(report.stale)} stale "
        f"(out of rotation); oldest review {oldest}"
    )
