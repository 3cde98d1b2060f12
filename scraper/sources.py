"""The sources file (TOML): which news sites to crawl and how politely.

```
[defaults]                      # optional: keys every source inherits unless it sets its own
revisit = [["3h", "15m"], ["1d", "1h"], ["7d", "3h"], ["30d", "3d"], ["1y", "30d"]]

[[source]]
name = "example"
feeds = ["https://example.com/rss.xml"]
sitemaps = ["robots"]           # or sitemap (index) URLs; "robots" reads them from robots.txt
pages = ["https://example.com/news/"]   # section pages whose links matching `follow` are articles
follow = ["/news/\\d{4}/"]
horizon = "30d"    # sitemap entries older than this are not fetched on first sight
delay = 1.0        # seconds between requests to one host (optional)
concurrency = 2    # parallel requests per host (optional)
allow_private = false  # let links leave for private addresses (optional; see docs/reliability.md)
requisites = false     # also keep each article page's stylesheets, images, fonts, scripts (optional; docs/archivist.md)
```
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from archive.schedule import DEFAULT_LADDER, Ladder, parse_duration, parse_ladder

from .follow import compile_pattern

DEFAULT_DELAY = 1.0
DEFAULT_CONCURRENCY = 2
DEFAULT_HORIZON = timedelta(days=30)
MAX_DELAY = 600.0  # seconds between requests to one host: more is not meant (and inf stalls the crawl)
MAX_CONCURRENCY = 256
ROBOTS = "robots"  # in `sitemaps`: read the sitemap URLs from the source's hosts' robots.txt


class ConfigError(ValueError):
    """The crawl's configuration (sources file or settings) is unusable; `newsarchive` exits 2."""


class SourcesError(ConfigError):
    """The sources file is missing or invalid; the message names file, source and key."""


@dataclass(frozen=True)
class Source:
    name: str
    feeds: tuple[str, ...] = ()
    delay: float = DEFAULT_DELAY
    concurrency: int = DEFAULT_CONCURRENCY
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def sitemaps(self) -> tuple[str, ...]:
        """Sitemap (index) URLs; ``"robots"`` becomes each host's ``/robots.txt``."""
        urls: list[str] = []
        for url in self.extra.get("sitemaps", ()):
            if url == ROBOTS:
                urls += [f"{base}/robots.txt" for base in sorted(self._origins())]
            else:
                urls.append(url)
        return tuple(dict.fromkeys(urls))

    @property
    def pages(self) -> tuple[str, ...]:
        """Section/home pages whose links matching :attr:`follow` are articles."""
        return self.extra.get("pages", ())

    @property
    def follow(self) -> tuple[str, ...]:
        """Regexes (searched in the absolute URL) picking the article links of :attr:`pages`."""
        return self.extra.get("follow", ())

    @property
    def revisit(self) -> Ladder:
        """The revisit ladder of this source's articles."""
        return self.extra.get("revisit", DEFAULT_LADDER)

    @property
    def horizon(self) -> timedelta:
        """Sitemap entries older than this are not fetched on first sight."""
        return self.extra.get("horizon", DEFAULT_HORIZON)

    @property
    def hosts(self) -> set[str]:
        """Hosts named by this source's URLs (their download slots get its delay/concurrency)."""
        urls = [*self.feeds, *self.pages, *self.extra.get("sitemaps", ())]
        return {urlsplit(url).hostname or "" for url in urls if url != ROBOTS} - {""}

    def _origins(self) -> set[str]:
        parts = [urlsplit(url) for url in (*self.feeds, *self.pages)]
        return {f"{p.scheme}://{p.netloc}" for p in parts}


def _url_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("must be a list of URL strings")
    for url in value:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{url!r} is not an http(s) URL")
    return tuple(value)


def _sitemap_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, list) and ROBOTS in value:
        return (ROBOTS, *_url_list([url for url in value if url != ROBOTS]))
    return _url_list(value)


def _regex_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("must be a list of regular expressions")
    for pattern in value:
        compile_pattern(pattern)  # as they are matched (scraper.follow)
    return tuple(value)


def _delay(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= MAX_DELAY:
        raise ValueError(f"must be a number of seconds from 0 to {MAX_DELAY:g}")  # inf, nan, 1e308: refused
    return float(value)


def _concurrency(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_CONCURRENCY:
        raise ValueError(f"must be a whole number from 1 to {MAX_CONCURRENCY}")
    return value


def _horizon(value: Any) -> timedelta:
    horizon = parse_duration(value)
    if horizon <= timedelta(0):
        raise ValueError(f"{value!r}: the horizon must be longer than 0")
    return horizon


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty string")
    return value


# key -> validator; a later feature adds its keys here.
SOURCE_KEYS: dict[str, Callable[[Any], Any]] = {
    "name": _name,
    "feeds": _url_list,
    "delay": _delay,
    "concurrency": _concurrency,
    "sitemaps": _sitemap_list,
    "pages": _url_list,
    "follow": _regex_list,
    "revisit": parse_ladder,
    "horizon": _horizon,
    "allow_private": _bool,  # links may lead to private/loopback addresses (intranet sources)
    "requisites": _bool,  # also archive the stylesheets, images, fonts and scripts of its article pages
}
_CORE_FIELDS = {"name", "feeds", "delay", "concurrency"}
# keys a [defaults] table may set for every source
DEFAULT_KEYS = set(SOURCE_KEYS) - {"name", "feeds", "sitemaps", "pages"}


def load_sources(path: str | Path) -> list[Source]:
    """Read and validate a sources file; raise :class:`SourcesError` with a one-line message."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"{path}: sources file not found; create it (see sources.toml in the repository) or pass --sources") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: cannot read sources file ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{path}: invalid TOML: {exc}") from None
    unknown_top = set(data) - {"source", "defaults"}
    if unknown_top:
        raise SourcesError(f"{path}: unknown top-level key {sorted(unknown_top)[0]!r}; expected [[source]] tables")
    defaults = _defaults(path, data.get("defaults", {}))
    entries = data.get("source", [])
    if not isinstance(entries, list) or not entries:
        raise SourcesError(f"{path}: no [[source]] tables; add at least one source with a name and feeds")
    sources = [_parse_source(path, index, {**defaults, **entry}) for index, entry in enumerate(entries, start=1)]
    _check_unique(path, sources)
    return sources


def _defaults(path: Path, table: Any) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise SourcesError(f"{path}: [defaults] must be a table")
    for key in table:
        if key not in DEFAULT_KEYS:
            raise SourcesError(f"{path}: [defaults]: unknown key {key!r} (known: {', '.join(sorted(DEFAULT_KEYS))})")
        try:
            SOURCE_KEYS[key](table[key])
        except ValueError as exc:
            raise SourcesError(f"{path}: [defaults]: key {key!r} {exc}") from None
    return dict(table)


def _parse_source(path: Path, index: int, entry: dict[str, Any]) -> Source:
    label = f"source {entry.get('name')!r}" if isinstance(entry.get("name"), str) else f"source #{index}"
    if "name" not in entry:
        raise SourcesError(f"{path}: {label}: missing key 'name'")
    values: dict[str, Any] = {}
    for key, raw in entry.items():
        validate = SOURCE_KEYS.get(key)
        if validate is None:
            raise SourcesError(f"{path}: {label}: unknown key {key!r} (known: {', '.join(sorted(SOURCE_KEYS))})")
        try:
            values[key] = validate(raw)
        except ValueError as exc:
            raise SourcesError(f"{path}: {label}: key {key!r} {exc}") from None
    if not values.get("feeds") and not values.get("sitemaps") and not values.get("pages"):
        raise SourcesError(f"{path}: {label}: key 'feeds' is missing or empty; list at least one feed, sitemap or page URL")
    if values.get("pages") and not values.get("follow"):
        raise SourcesError(f"{path}: {label}: key 'follow' is missing; list regexes matching the article links of 'pages'")
    if ROBOTS in values.get("sitemaps", ()) and not values.get("feeds") and not values.get("pages"):
        raise SourcesError(f"{path}: {label}: key 'sitemaps' 'robots' needs a feed or page URL to name the host;"
                           " or list https://HOST/robots.txt")
    core = {key: value for key, value in values.items() if key in _CORE_FIELDS}
    extra = {key: value for key, value in values.items() if key not in _CORE_FIELDS}
    return Source(**core, extra=extra)


def _check_unique(path: Path, sources: Sequence[Source]) -> None:
    seen: set[str] = set()
    for source in sources:
        if source.name in seen:
            raise SourcesError(f"{path}: source {source.name!r}: key 'name' is duplicated; source names must be unique")
        seen.add(source.name)


def download_slots(sources: Sequence[Source]) -> dict[str, dict[str, Any]]:
    """Scrapy ``DOWNLOAD_SLOTS`` giving each source's hosts its delay and concurrency."""
    slots: dict[str, dict[str, Any]] = {}
    for source in sources:
        for host in source.hosts:
            slots[host] = {"delay": source.delay, "concurrency": source.concurrency, "jitter": 0}
    return slots


def sources_from_settings(settings: Any) -> list[Source]:
    """The sources named by ``NEWSARCHIVE_SOURCES``; none when it is empty (`newsarchive add` without a file)."""
    path = settings.get("NEWSARCHIVE_SOURCES")
    return load_sources(path) if path else []
