"""The worker's item: an article page plus what the writer needs to find its article and deduplicate it."""

from __future__ import annotations

from dataclasses import dataclass

from scraper.items import ArticlePage


@dataclass
class RemoteArticlePage(ArticlePage):
    """``article_id`` is 0 for a link found by a worker's feed poll: the writer looks it up by ``link``."""

    task: str = ""
    link: str = ""
    discovered_via: str | None = None
