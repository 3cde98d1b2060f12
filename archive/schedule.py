"""When to look again: the article revisit ladder and the adaptive feed poll interval (pure functions).

The ladder is keyed on the time since the article last *changed* (its latest version's ``first_seen_at``),
not since it was first seen: a story that keeps being edited keeps being watched closely.
docs/revisits.md explains the defaults.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h|d|w|y)\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "y": 365 * 86400}
MAX_DURATION = timedelta(days=100 * 365)  # longer is not meant (and dates past year 9999 overflow)


def parse_duration(value: str | int | float) -> timedelta:
    """A duration from ``"15m"``, ``"3h"``, ``"7d"``, ``"2w"``, ``"1y"`` or a number of seconds, at most 100 years.

    >>> parse_duration("90m")
    datetime.timedelta(seconds=5400)
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration")
    if isinstance(value, (int, float)):
        seconds = float(value)
    elif isinstance(value, str) and (match := _DURATION.match(value)):
        seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]
    else:
        raise ValueError(f"{value!r} is not a duration like '15m', '3h', '7d'")
    if not math.isfinite(seconds) or not 0 <= seconds <= MAX_DURATION.total_seconds():
        raise ValueError(f"{value!r} is not a duration from 0 to 100 years")
    return timedelta(seconds=seconds)


@dataclass(frozen=True)
class Step:
    """While the last change is younger than ``younger_than``, recheck every ``every``."""

    younger_than: timedelta
    every: timedelta


Ladder = tuple[Step, ...]
MIN_INTERVAL = timedelta(minutes=1)  # crawl passes are minutes apart: a shorter interval is not meant

DEFAULT_LADDER: Ladder = (
    Step(timedelta(hours=3), timedelta(minutes=15)),
    Step(timedelta(days=1), timedelta(hours=1)),
    Step(timedelta(days=7), timedelta(hours=3)),
    Step(timedelta(days=30), timedelta(days=3)),
    Step(timedelta(days=365), timedelta(days=30)),
)


def parse_ladder(value: object) -> Ladder:
    """A ladder from sources.toml: ``[["3h", "15m"], ["1d", "1h"], …]`` (ages strictly increasing).

    >>> parse_ladder([["1d", "1h"], ["7d", "6h"]])[1].every
    datetime.timedelta(seconds=21600)
    """
    if not isinstance(value, list) or not value:
        raise ValueError('must be a list of [age, interval] pairs, e.g. [["3h", "15m"], ["1d", "1h"]]')
    steps = []
    for pair in value:
        if not isinstance(pair, list) or len(pair) != 2:
            raise ValueError(f"{pair!r} is not an [age, interval] pair")
        step = Step(parse_duration(pair[0]), parse_duration(pair[1]))
        if step.every <= timedelta(0):
            raise ValueError(f"{pair!r}: the interval must be longer than 0")
        if step.every < MIN_INTERVAL:
            raise ValueError(f"{pair!r}: the interval must be at least a minute")
        if steps and step.younger_than <= steps[-1].younger_than:
            raise ValueError(f"{pair!r}: ages must increase from one step to the next")
        steps.append(step)
    return tuple(steps)


def next_check(last_change: datetime, checked_at: datetime, ladder: Sequence[Step] = DEFAULT_LADDER) -> datetime | None:
    """When to recheck an article last changed at ``last_change`` and just checked at ``checked_at``.

    None once the last change is older than the ladder's last step: the article is settled.

    >>> from datetime import datetime, timezone
    >>> t = datetime(2024, 5, 3, 10, tzinfo=timezone.utc)
    >>> next_check(t, t + timedelta(hours=2)) - t
    datetime.timedelta(seconds=8100)
    """
    age = checked_at - last_change
    for step in ladder:
        if age < step.younger_than:
            return checked_at + step.every
    return None


# -- feeds ------------------------------------------------------------------------------------

MIN_POLL = timedelta(minutes=10)
MAX_POLL = timedelta(hours=24)
FIRST_POLL = timedelta(hours=1)


def next_poll_interval(
    previous: timedelta | None,
    new_entries: int,
    *,
    declared: timedelta | None = None,
    bounds: tuple[timedelta, timedelta] = (MIN_POLL, MAX_POLL),
) -> timedelta:
    """The next poll interval of a feed (or sitemap, or section page).

    Halves after a poll that brought new entries, grows by half after one that brought none
    (a 304 brings none). A period the feed declares (``sy:updatePeriod``/``ttl``) is a floor: we
    do not poll faster than the publisher says it publishes. The result stays within ``bounds``.

    >>> next_poll_interval(timedelta(hours=1), 3)
    datetime.timedelta(seconds=1800)
    >>> next_poll_interval(timedelta(hours=1), 0)
    datetime.timedelta(seconds=5400)
    """
    low, high = bounds
    current = previous or FIRST_POLL
    interval = current / 2 if new_entries else current * 1.5
    if declared is not None:
        interval = max(interval, declared)
    return timedelta(seconds=round(min(high, max(low, interval)).total_seconds()))
