"""A test-only crash hook: ``NEWSARCHIVE_CRASH_AT=<point>`` kills the process at a named point.

The crash-safety tests (tests/test_crash.py) use it to die *inside* a write unit, after its
statements ran and before COMMIT, exactly as ``kill -9`` would. Points: ``feed-commit`` (a feed
poll's links and validators), ``article-commit`` (a capture and its version), ``export-rename`` (an
export written in full, not yet renamed to its final name). ``<point>:<n>``
dies at the n-th time the point is reached. Unset (always, outside tests) it does nothing.
"""

from __future__ import annotations

import os
import signal

_reached: dict[str, int] = {}


def crash_point(name: str) -> None:
    """Die with SIGKILL here if ``NEWSARCHIVE_CRASH_AT`` names this point (and this occurrence)."""
    wanted = os.environ.get("NEWSARCHIVE_CRASH_AT")
    if not wanted:
        return
    point, _, nth = wanted.partition(":")
    if point != name:
        return
    _reached[name] = _reached.get(name, 0) + 1
    if _reached[name] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
