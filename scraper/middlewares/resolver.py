"""The SSRF guard's second check, at connect time: a DNS resolver that refuses non-public answers.

:class:`~scraper.middlewares.ssrf.SSRFGuardMiddleware` resolves a host before the request is
queued; the connection resolves it again. A hostile DNS server can answer "public" the first time
and "127.0.0.1" the second (DNS rebinding), so the address actually connected to is checked here.
Installed with ``TWISTED_DNS_RESOLVER`` (Scrapy ≥ 2.19). Twisted reports a refused answer as "no
results for hostname lookup", so such a request fails with reason ``dns``; the refusal is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from scrapy.crawler import Crawler
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.base import ReactorBase
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

from scraper.sources import sources_from_settings

from .addresses import is_public
from .ssrf import configured_origins

logger = logging.getLogger(__name__)


class BlockedAddress(DNSLookupError):
    """A host resolved to an address the crawler must not connect to."""

    reason = "blocked-ssrf"


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, refusing non-public addresses for hosts sources.toml does not name."""

    trusted_hosts: frozenset[str] = frozenset()
    guard = True

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: ReactorBase) -> GuardedResolver:
        resolver = super().from_crawler(crawler, reactor)
        sources = sources_from_settings(crawler.settings)
        resolver.trusted_hosts = frozenset(host for host, _ in configured_origins(crawler.settings, sources))
        # allow_private lets a source's links reach private hosts; the resolver cannot tell whose
        # request it serves, so the per-source rule is left to the middleware.
        resolver.guard = crawler.settings.getbool("NEWSARCHIVE_SSRF_GUARD", True) and not any(
            s.extra.get("allow_private") for s in sources
        )
        return resolver

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:  # noqa: N802 (Twisted API)
        result = super().getHostByName(name, timeout)
        if self.guard and name.lower().rstrip(".") not in self.trusted_hosts:
            result.addCallback(self._check, name)
        return result

    @staticmethod
    def _check(address: Any, name: str) -> Any:
        if not is_public(str(address)):
            logger.warning("refused DNS answer %s for %s (blocked-ssrf)", address, name)
            raise BlockedAddress(name, f"resolves to {address}, not a public address")
        return address
