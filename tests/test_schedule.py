"""The revisit ladder and the adaptive poll interval: pure functions, table-tested."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from archive.schedule import DEFAULT_LADDER, Step, next_check, next_poll_interval, parse_duration, parse_ladder

CHANGED = datetime(2024, 5, 3, 10, 0, tzinfo=timezone.utc)
M, H, D = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)

LADDER_CASES = [
    # time since the last change, expected wait until the next check
    (0 * M, 15 * M),
    (2 * H + 59 * M, 15 * M),
    (3 * H, 1 * H),
    (23 * H + 59 * M, 1 * H),
    (1 * D, 3 * H),
    (6 * D + 23 * H, 3 * H),
    (7 * D, 3 * D),
    (29 * D, 3 * D),
    (30 * D, 30 * D),
    (364 * D, 30 * D),
    (365 * D, None),
    (3 * 365 * D, None),
]


@pytest.mark.parametrize("age,wait", LADDER_CASES, ids=[str(c[0]) for c in LADDER_CASES])
def test_default_ladder_at_each_step(age: timedelta, wait: timedelta | None) -> None:
    checked = CHANGED + age
    expected = checked + wait if wait is not None else None
    assert next_check(CHANGED, checked) == expected


def test_custom_ladder() -> None:
    ladder = parse_ladder([["1h", "5m"], ["2d", "12h"]])
    assert ladder == (Step(H, 5 * M), Step(2 * D, 12 * H))
    assert next_check(CHANGED, CHANGED + 30 * M, ladder) == CHANGED + 35 * M
    assert next_check(CHANGED, CHANGED + D, ladder) == CHANGED + D + 12 * H
    assert next_check(CHANGED, CHANGED + 2 * D, ladder) is None


def test_default_ladder_matches_the_documented_one() -> None:
    assert DEFAULT_LADDER == parse_ladder([["3h", "15m"], ["1d", "1h"], ["7d", "3h"], ["30d", "3d"], ["1y", "30d"]])


@pytest.mark.parametrize(
    "value,message",
    [
        ("3h", "must be a list of"),
        ([], "must be a list of"),
        ([["3h"]], "is not an \\[age, interval\\] pair"),
        ([["3h", "soon"]], "'soon' is not a duration"),
        ([["1d", "1h"], ["3h", "15m"]], "ages must increase"),
        ([["1d", "0m"]], "interval must be longer than 0"),
    ],
)
def test_bad_ladders(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_ladder(value)


@pytest.mark.parametrize(
    "value,seconds",
    [("15m", 900), ("15min", 900), ("3h", 10800), ("1.5h", 5400), ("7d", 604800), ("2w", 1209600), ("1y", 31536000), (90, 90)],
)
def test_parse_duration(value: str | int, seconds: int) -> None:
    assert parse_duration(value) == timedelta(seconds=seconds)


POLL_CASES = [
    # previous interval, new entries, declared period, expected
    (None, 5, None, 30 * M),  # first poll: 1 h halved
    (None, 0, None, 90 * M),
    (H, 1, None, 30 * M),
    (H, 0, None, 90 * M),
    (12 * M, 3, None, 10 * M),  # lower bound
    (20 * H, 0, None, 24 * H),  # upper bound
    (H, 4, 2 * H, 2 * H),  # the feed's own period is a floor
    (H, 4, 3 * D, 24 * H),  # …within the bounds
    (H, 0, 5 * M, 90 * M),
]


@pytest.mark.parametrize("previous,new,declared,expected", POLL_CASES)
def test_adaptive_poll_interval(previous: timedelta | None, new: int, declared: timedelta | None, expected: timedelta) -> None:
    assert next_poll_interval(previous, new, declared=declared) == expected
