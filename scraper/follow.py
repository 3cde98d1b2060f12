"""The ``follow`` patterns of section pages, matched with a time bound: a hostile URL cannot stall the crawl.

Python's ``re`` backtracks: ``/news/(a+)+$`` against ``/news/aaaa…a!`` doubles its time with every
``a`` (1 s at 24 characters, a minute at 30), and it runs on the crawl's event loop. The patterns are
compiled with the `regex <https://pypi.org/project/regex/>`_ package instead (``re``'s syntax; already
installed with dateparser), which avoids most of that backtracking and, for what remains, takes a
``timeout``: a match over :data:`MATCH_TIMEOUT` raises, the link is not followed, and the pattern is
not used again for the rest of the pass (logged with the pattern and the URL, counted in
``newsarchive/pages/follow_timeout``), so one hostile page costs at most that per pattern.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import regex

logger = logging.getLogger(__name__)

MATCH_TIMEOUT = 0.05  # seconds per URL and pattern


def compile_pattern(pattern: str) -> regex.Pattern:
    """Compile one ``follow`` pattern (raises ValueError naming the problem)."""
    try:
        return regex.compile(pattern)
    except regex.error as exc:
        raise ValueError(f"{pattern!r} is not a regular expression ({exc})") from None


class FollowPatterns:
    """A source's ``follow`` patterns; :meth:`matches` says whether a URL is an article link."""

    def __init__(self, patterns: Sequence[str], *, timeout: float = MATCH_TIMEOUT,
                 on_timeout: Callable[[], None] = lambda: None) -> None:
        self.patterns = [compile_pattern(pattern) for pattern in patterns]
        self.timeout = timeout
        self.on_timeout = on_timeout
        self.given_up: set[int] = set()

    def matches(self, url: str) -> bool:
        """True when a pattern still in use is found in ``url`` within the time bound."""
        for index, pattern in enumerate(self.patterns):
            if index in self.given_up:
                continue
            try:
                if pattern.search(url, timeout=self.timeout):
                    return True
            except TimeoutError:
                self.given_up.add(index)
                self.on_timeout()
                logger.warning("follow pattern %r took over %.2f s on %s: not used for the rest of this pass;"
                               " make it linear (no nested repetition) in sources.toml", pattern.pattern,
                               self.timeout, url[:200])
        return False
