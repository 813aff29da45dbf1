"""argparse `type=` functions with ranges, so a bad number is a usage error, not a quiet surprise.

`--limit -5` would otherwise send nothing and exit 0; argparse turns the ArgumentTypeError raised
here into one usage line and exit code 2.
"""

from __future__ import annotations

import argparse
import math


def at_least_one(text: str) -> int:
    """A whole number >= 1 (e.g. --limit)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def non_negative_seconds(text: str) -> float:
    """A finite number of seconds >= 0 (e.g. --reclaim-after)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more seconds, not {text}")
    return value
