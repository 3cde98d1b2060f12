"""The per-host request budget of a pass, shared out so that feed polls cannot starve articles.

``NEWSARCHIVE_HOST_BUDGET`` requests per host per pass; polls (feeds, sitemaps, section pages) may
use at most ``NEWSARCHIVE_HOST_BUDGET_POLLS`` of it (a share, 0.5 by default), so with 10,000 feeds
on one host half the budget still fetches articles. The spider asks before it creates a request:
what does not fit is *deferred*, never requested, counted (``newsarchive/deferred/budget``) and left
due for the next pass, without a capture or a poll row. The downloader middleware
(:mod:`scraper.middlewares.limits`) still caps what is sent, robots.txt and retries included.
"""

from __future__ import annotations

import math
from collections import Counter
from urllib.parse import urlsplit


class HostBudget:
    """Counts the requests planned per host; :meth:`take` says whether one more fits."""

    def __init__(self, limit: int, poll_share: float = 0.5) -> None:
        self.limit = limit  # 0: unlimited
        self.poll_limit = max(1, math.ceil(limit * poll_share)) if limit else 0
        self.planned: Counter[str] = Counter()
        self.polls: Counter[str] = Counter()

    def take(self, url: str, *, poll: bool) -> bool:
        """Reserve one request to ``url``'s host; False (nothing reserved) when it does not fit.

        >>> budget = HostBudget(4, 0.5)
        >>> [budget.take("https://a.example/feed", poll=True) for _ in range(3)]
        [True, True, False]
        >>> [budget.take("https://a.example/story", poll=False) for _ in range(3)]
        [True, True, False]
        """
        if not self.limit:
            return True
        host = (urlsplit(url).hostname or "").lower()
        if self.planned[host] >= self.limit or (poll and self.polls[host] >= self.poll_limit):
            return False
        self.planned[host] += 1
        self.polls[host] += poll
        return True
