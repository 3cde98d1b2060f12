"""The SSRF guard: never connect to this machine, its network or a non-http(s) scheme.

Every request (feed, article link, robots.txt, redirect target) passes through here. Its host is
resolved the way the connection will resolve it (``getaddrinfo``, so ``2130706433``, ``0x7f.1``
and ``[::ffff:127.0.0.1]`` are all 127.0.0.1) and refused with reason ``blocked-ssrf`` when any
address is not public. Hosts named by ``sources.toml`` URLs (host and port) are trusted: that is
how intranet users and the tests run. A source with ``allow_private = true`` may also follow its
links to private addresses (a request names its source in ``cb_kwargs["source"]`` or ``meta["source"]``). :mod:`scraper.middlewares.resolver` re-checks at connect time.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from scraper.sources import Source, sources_from_settings

from .addresses import is_public, literal_address
from .refused import Refused

logger = logging.getLogger(__name__)

ALLOWED_SCHEMES = ("http", "https")
_DEFAULT_PORTS = {"http": 80, "https": 443}
Origin = tuple[str, int]


def source_urls(source: Source) -> Iterable[str]:
    """Every http(s) URL a source names (feeds, and URL-valued keys other features add)."""
    values: list[Any] = [*source.feeds]
    for value in source.extra.values():
        values.extend(value if isinstance(value, (list, tuple)) else [value])
    for value in values:
        if isinstance(value, str) and urlsplit(value).scheme in ALLOWED_SCHEMES:
            yield value


def origin(url: str) -> Origin | None:
    """``(host, port)`` of an http(s) URL (host lower-cased, default port filled in), else None."""
    try:
        parts = urlsplit(url)
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None
    if not parts.hostname or port is None:
        return None
    return parts.hostname.lower().rstrip("."), port


def trusted_origins(sources: Iterable[Source]) -> set[Origin]:
    """Origins configured in sources.toml; a default port trusts both 80 and 443 on that host."""
    trusted: set[Origin] = set()
    for source in sources:
        for url in source_urls(source):
            if (found := origin(url)) is None:
                continue
            trusted.add(found)
            if found[1] in _DEFAULT_PORTS.values():
                trusted.update((found[0], port) for port in _DEFAULT_PORTS.values())
    return trusted


def configured_origins(settings: Any, sources: Iterable[Source]) -> set[Origin]:
    """Origins the user named: sources.toml's URLs and the URLs given to `newsarchive add`."""
    added = {found for url in settings.getlist("NEWSARCHIVE_ADD_URLS") if (found := origin(url))}
    return trusted_origins(sources) | added


class SSRFGuardMiddleware:
    """Downloader middleware refusing non-public destinations (``NEWSARCHIVE_SSRF_GUARD``, on by default)."""

    def __init__(self, crawler: Crawler, sources: list[Source]) -> None:
        self.stats = crawler.stats
        self.trusted = configured_origins(crawler.settings, sources)
        self.private_ok = {s.name for s in sources if s.extra.get("allow_private")}
        self._resolved: dict[Origin, list[str]] = {}  # per run; the resolver re-checks at connect time

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SSRFGuardMiddleware:
        if not crawler.settings.getbool("NEWSARCHIVE_SSRF_GUARD", True):
            raise NotConfigured("NEWSARCHIVE_SSRF_GUARD is off")
        return cls(crawler, sources_from_settings(crawler.settings))

    async def process_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ALLOWED_SCHEMES:
            self._refuse(request, f"scheme {parts.scheme!r} is not http(s)")
        where = origin(request.url)
        if where is None:
            self._refuse(request, "no host")
        source = request.cb_kwargs.get("source") or request.meta.get("source")
        if where in self.trusted or source in self.private_ok:
            return None
        for address in await self._addresses(where):
            if not is_public(address):
                self._refuse(request, f"{where[0]} is {address}, not a public address")
        return None

    async def _addresses(self, where: Origin) -> list[str]:
        host, port = where
        if (literal := literal_address(host)) is not None:
            return [str(literal)]
        if where not in self._resolved:
            try:
                infos = await maybe_deferred_to_future(
                    deferToThread(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
                )
            except OSError:
                return []  # unresolvable: the download fails with reason "dns"
            if len(self._resolved) > 10_000:
                self._resolved.clear()
            self._resolved[where] = [str(info[4][0]) for info in infos]
        return self._resolved[where]

    def _refuse(self, request: Request, detail: str) -> None:
        self.stats.inc_value("newsarchive/refused/blocked-ssrf")
        logger.warning("refused %s: %s", request.url, detail)
        raise Refused("blocked-ssrf", detail)
