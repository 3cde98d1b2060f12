"""The crawl summary, derived from Scrapy stats (shared by the log, the CLI and the exit status)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from archive.decide import NOT_ATTEMPTED_REASONS, Decision, Outcome

POLLED_KINDS = ("feed", "sitemap", "page")


def decision_counts(decision: Decision) -> Counter[str]:
    """The ``newsarchive/…`` stats (without the prefix) one stored capture adds."""
    if decision.outcome is Outcome.FAILED and decision.reason in NOT_ATTEMPTED_REASONS:
        return Counter({"articles/deferred": 1, f"deferred/{decision.reason}": 1})
    counts = Counter({f"articles/{decision.outcome.value}": 1})
    if decision.outcome is Outcome.FAILED:
        counts[f"failed/{decision.reason}"] += 1
    if decision.reverts_to is not None:
        counts["articles/reverted"] += 1
    return counts


@dataclass(frozen=True)
class Polls:
    """What the pass did with the documents of one kind (feeds, sitemaps or section pages)."""

    polled: int = 0
    failed: int = 0
    deferred: int = 0  # not requested in this pass (host budget, shutdown): still due

    def text(self) -> str:
        deferred = f", {self.deferred} deferred" if self.deferred else ""
        return f"{self.polled} polled, {self.failed} failed{deferred}"


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
    polls: dict[str, Polls] = field(default_factory=dict)  # kind -> counts (feeds also in feeds_*)
    articles_deferred: int = 0  # not requested in this pass (host budget, shutdown): still due
    deferred: dict[str, int] = field(default_factory=dict)  # reason -> requests deferred

    @classmethod
    def from_stats(cls, stats: dict[str, Any]) -> CrawlSummary:
        """Build the summary from a crawler's stats dict."""
        def get(key: str) -> int:
            return int(stats.get(f"newsarchive/{key}", 0))

        def by_reason(prefix: str) -> dict[str, int]:
            return {
                key.removeprefix(prefix): int(value)
                for key, value in sorted(stats.items())
                if key.startswith(prefix)
            }

        polls = {kind: Polls(get(f"{kind}s/polled"), get(f"{kind}s/failed"), get(f"{kind}s/deferred"))
                 for kind in POLLED_KINDS}
        return cls(
            feeds_polled=polls["feed"].polled,
            feeds_failed=polls["feed"].failed,
            articles_new=get("articles/new"),
            articles_updated=get("articles/updated"),
            articles_unchanged=get("articles/unchanged"),
            articles_failed=get("articles/failed"),
            failures=by_reason("newsarchive/failed/"),
            elapsed=float(stats.get("elapsed_time_seconds", 0.0)),
            finish_reason=stats.get("finish_reason"),
            fatal=stats.get("newsarchive/fatal"),
            polls=polls,
            articles_deferred=get("articles/deferred"),
            deferred=by_reason("newsarchive/deferred/"),
        )

    def line(self) -> str:
        """One human line, as printed at the end of `newsarchive crawl` and written to the log: every feed,
        sitemap and section page of the pass is polled, failed or deferred (sitemaps and pages are shown
        when the pass had any)."""
        feeds = self.polls.get("feed") or Polls(self.feeds_polled, self.feeds_failed)
        parts = [f"feeds: {feeds.text()}"]
        for kind in POLLED_KINDS[1:]:
            polls = self.polls.get(kind)
            if polls and (polls.polled or polls.failed or polls.deferred):
                parts.append(f"{kind}s: {polls.text()}")
        deferred = f", {self.articles_deferred} deferred" if self.articles_deferred else ""
        parts.append(
            f"articles: {self.articles_new} new, {self.articles_updated} updated, "
            f"{self.articles_unchanged} unchanged, {self.articles_failed} failed{deferred}"
        )
        text = "; ".join(parts) + f"; {self.elapsed:.1f}s"
        reasons = dict(self.failures)
        for reason, count in self.deferred.items():
            reasons[reason] = reasons.get(reason, 0) + count
        if reasons:
            text += " (" + ", ".join(f"{reason}: {count}" for reason, count in sorted(reasons.items())) + ")"
        return text
