"""The crawl summary, derived from Scrapy stats (shared by the log, the CLI and the exit status)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CrawlSummary:
    feeds_polled: int = 0
    feeds_failed: int = 0
    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    articles_failed: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0
    finish_reason: str | None = None  # None: the crawl never ran to its end
    fatal: str | None = None  # the archive error that stopped the crawl, if any

    @classmethod
    def from_stats(cls, stats: dict[str, Any]) -> CrawlSummary:
        """Build the summary from a crawler's stats dict."""
        def get(key: str) -> int:
            return int(stats.get(f"newsarchive/{key}", 0))

        failures = {
            key.removeprefix("newsarchive/failed/"): int(value)
            for key, value in sorted(stats.items())
            if key.startswith("newsarchive/failed/")
        }
        return cls(
            feeds_polled=get("feeds/polled"),
            feeds_failed=get("feeds/failed"),
            articles_new=get("articles/new"),
            articles_updated=get("articles/updated"),
            articles_unchanged=get("articles/unchanged"),
            articles_failed=get("articles/failed"),
            failures=failures,
            elapsed=float(stats.get("elapsed_time_seconds", 0.0)),
            finish_reason=stats.get("finish_reason"),
            fatal=stats.get("newsarchive/fatal"),
        )

    def line(self) -> str:
        """One human line, as printed at the end of `newsarchive crawl` and written to the log."""
        text = (
            f"feeds: {self.feeds_polled} polled, {self.feeds_failed} failed; "
            f"articles: {self.articles_new} new, {self.articles_updated} updated, "
            f"{self.articles_unchanged} unchanged, {self.articles_failed} failed; "
            f"{self.elapsed:.1f}s"
        )
        if self.failures:
            text += " (" + ", ".join(f"{reason}: {count}" for reason, count in self.failures.items()) + ")"
        return text
