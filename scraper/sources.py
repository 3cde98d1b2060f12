"""The sources file (TOML): which news sites to crawl and how politely.

```
[[source]]
name = "example"
feeds = ["https://example.com/rss.xml"]
delay = 1.0        # seconds between requests to one host (optional)
concurrency = 2    # parallel requests per host (optional)
allow_private = false  # let links leave for private addresses (optional; see docs/reliability.md)
```
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_DELAY = 1.0
DEFAULT_CONCURRENCY = 2


class SourcesError(ValueError):
    """The sources file is missing or invalid; the message names file, source and key."""


@dataclass(frozen=True)
class Source:
    name: str
    feeds: tuple[str, ...] = ()
    delay: float = DEFAULT_DELAY
    concurrency: int = DEFAULT_CONCURRENCY
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def hosts(self) -> set[str]:
        """Hosts named by this source's URLs (their download slots get its delay/concurrency)."""
        return {urlsplit(url).hostname or "" for url in self.feeds} - {""}


def _url_list(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("must be a list of URL strings")
    for url in value:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{url!r} is not an http(s) URL")
    return tuple(value)


def _non_negative_float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError("must be a number of seconds ≥ 0")
    return float(value)


def _positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("must be a whole number ≥ 1")
    return value


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
    "delay": _non_negative_float,
    "concurrency": _positive_int,
    "allow_private": _bool,  # links may lead to private/loopback addresses (intranet sources)
}
_CORE_FIELDS = {"name", "feeds", "delay", "concurrency"}


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
    unknown_top = set(data) - {"source"}
    if unknown_top:
        raise SourcesError(f"{path}: unknown top-level key {sorted(unknown_top)[0]!r}; expected [[source]] tables")
    entries = data.get("source", [])
    if not isinstance(entries, list) or not entries:
        raise SourcesError(f"{path}: no [[source]] tables; add at least one source with a name and feeds")
    sources = [_parse_source(path, index, entry) for index, entry in enumerate(entries, start=1)]
    _check_unique(path, sources)
    return sources


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
    if not values.get("feeds"):
        raise SourcesError(f"{path}: {label}: key 'feeds' is missing or empty; list at least one feed URL")
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
