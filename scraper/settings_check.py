"""Numeric settings are checked before a crawl starts: a value nobody can mean is refused, not run.

``DOWNLOAD_DELAY = inf`` (or ``1e308``) made the crawl send nothing, ignore SIGTERM and hold the
archive's lock for ever; ``nan`` compares false with everything. Whether a setting comes from
``scraper/settings.py``, ``-s NAME=VALUE``, ``scrapy crawl -s`` or the environment, the crawl refuses
to start with one line naming it, its value and the range it must be in. sources.toml's own numbers
are checked where the file is read (:mod:`scraper.sources`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from archive.clock import parse_iso

from .sources import ConfigError


class SettingsError(ConfigError):
    """A setting's value is out of range or not a number; the message names it and the range."""


@dataclass(frozen=True)
class Bound:
    low: float
    high: float
    what: str
    whole: bool = False  # an integer setting

    def check(self, name: str, raw: Any) -> None:
        try:
            value = float(raw) if not isinstance(raw, bool) else math.nan
        except (TypeError, ValueError):
            value = math.nan
        whole = not self.whole or (math.isfinite(value) and value == int(value))
        if not (math.isfinite(value) and self.low <= value <= self.high and whole):
            kind = "a whole number" if self.whole else "a number"
            raise SettingsError(f"setting {name} = {raw!r}: must be {kind} from {_num(self.low)} to {_num(self.high)}"
                                f" ({self.what}); fix -s {name}=… or the settings")


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


HOUR = 3600.0
BOUNDS: dict[str, Bound] = {
    "DOWNLOAD_DELAY": Bound(0, 600, "seconds between requests to one host"),
    "DOWNLOAD_TIMEOUT": Bound(0.1, HOUR, "seconds per download"),
    "DOWNLOAD_MAXSIZE": Bound(0, 2**31, "bytes per response, 0 = no cap", whole=True),
    "DOWNLOAD_WARNSIZE": Bound(0, 2**31, "bytes", whole=True),
    "CONCURRENT_REQUESTS": Bound(1, 1000, "requests in flight", whole=True),
    "CONCURRENT_REQUESTS_PER_DOMAIN": Bound(1, 256, "requests in flight per host", whole=True),
    "CONCURRENT_ITEMS": Bound(1, 1000, "items processed in parallel per response", whole=True),
    "RETRY_TIMES": Bound(0, 20, "retries per request", whole=True),
    "NEWSARCHIVE_EXTRACT_WORKERS": Bound(-1, 256, "extraction processes; 0 = one per core, -1 = inline", whole=True),
    "NEWSARCHIVE_EXTRACT_TIMEOUT": Bound(0.1, 600, "seconds per page"),
    "NEWSARCHIVE_EXTRACT_MEMORY_MB": Bound(0, 1 << 20, "MB per extraction worker, 0 = no cap", whole=True),
    "NEWSARCHIVE_EXTRACT_MAX_TASKS": Bound(1, 10**7, "pages per worker before it is recycled", whole=True),
    "NEWSARCHIVE_WRITE_BATCH_SIZE": Bound(1, 100_000, "captures per write unit", whole=True),
    "NEWSARCHIVE_WRITE_BATCH_SECONDS": Bound(0, HOUR, "seconds before a batch is committed"),
    "NEWSARCHIVE_SITEMAP_MAX_DOCUMENTS": Bound(0, 100_000, "sitemap documents per source per pass", whole=True),
    "NEWSARCHIVE_HOST_BUDGET": Bound(0, 10**8, "requests per host per pass, 0 = unlimited", whole=True),
    "NEWSARCHIVE_HOST_BUDGET_POLLS": Bound(0.01, 1, "share of the host budget feed polls may use"),
    "NEWSARCHIVE_MAX_PATH_DEPTH": Bound(0, 10_000, "path segments, 0 = no limit", whole=True),
    "NEWSARCHIVE_MAX_URL_LENGTH": Bound(0, 1_000_000, "characters, 0 = no limit", whole=True),
    "NEWSARCHIVE_MAX_CRAWL_DELAY": Bound(0, 600, "seconds: cap on robots.txt Crawl-delay"),
    "NEWSARCHIVE_RETRY_BACKOFF": Bound(0, 600, "seconds before the first retry"),
    "NEWSARCHIVE_RETRY_BACKOFF_MAX": Bound(0, HOUR, "seconds"),
    "NEWSARCHIVE_RETRY_AFTER_MAX": Bound(0, HOUR, "seconds of Retry-After waited within a pass"),
    "NEWSARCHIVE_STOP_GRACE": Bound(-1, 600, "seconds in-flight work gets after SIGTERM, -1 = all it needs"),
    "NEWSARCHIVE_LEASE_TTL": Bound(0.5, HOUR, "seconds"),
    "NEWSARCHIVE_UNTIL_IDLE": Bound(-1, 30 * 86400, "seconds, -1 = run until stopped"),
}


def check_settings(settings: Any, environ: dict[str, str] | None = None) -> None:
    """Raise :class:`SettingsError` for the first numeric setting (or ``NEWSARCHIVE_NOW``) out of range."""
    for name, bound in BOUNDS.items():
        raw = settings.get(name)
        if raw is not None:
            bound.check(name, raw)
    for name, slot in (settings.getdict("DOWNLOAD_SLOTS") or {}).items():
        for key, bound in (("delay", BOUNDS["DOWNLOAD_DELAY"]), ("concurrency", BOUNDS["CONCURRENT_REQUESTS_PER_DOMAIN"])):
            if key in slot:
                bound.check(f"DOWNLOAD_SLOTS[{name!r}][{key!r}]", slot[key])
    frozen = (environ if environ is not None else _environ()).get("NEWSARCHIVE_NOW")
    if frozen:
        try:
            parse_iso(frozen)
        except ValueError:
            raise SettingsError(f"environment NEWSARCHIVE_NOW = {frozen!r}: not an ISO 8601 time like "
                                "2024-05-03T10:00:00Z; unset it to use the real clock") from None


def _environ() -> dict[str, str]:
    import os

    return dict(os.environ)
