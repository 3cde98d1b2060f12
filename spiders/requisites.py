"""Page requisites for sources with ``requisites = true``: fetch what an article page references, once.

An article page fetched with its body is parsed for its stylesheets, images, fonts and scripts; they are
remembered as the article's requisites and those never fetched, or due for their slow recheck, are
requested — once a pass, however many pages use them, through the same downloader (robots.txt, SSRF guard,
per-host delay and budget) with their own size cap and the validators of their last fetch. A stylesheet's
own ``url()`` and ``@import`` references are followed one level deeper; a redirect is stored as it was
(pywb replays it) and its target fetched as another requisite.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from archive import requisites
from archive.clock import now_iso
from archive.decide import NOT_ATTEMPTED_REASONS
from scraper.failures import failure_reason
from scraper.items import RequisitePage
from scraper.requisites import css_requisites, html_requisites

from .base import _headers

_HTML_TYPES = ("text/html", "application/xhtml+xml", "")
_REDIRECTS = [301, 302, 303, 307, 308]
MAX_DEPTH = 2  # page -> stylesheet -> imported stylesheet -> its fonts and images


class RequisiteFetching:
    """Mixin for the crawl spider (``NEWSARCHIVE_REQUISITES_*`` settings)."""

    requisite_sources: set[str]  # the sources of this pass with requisites = true
    requested_requisites: set[str]  # requisite URLs requested in this pass

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)  # type: ignore[misc]
        spider.requisite_sources = {s.name for s in spider.sources if s.extra.get("requisites")}
        spider.requested_requisites = set()
        return spider

    def due_requisite_requests(self) -> list[scrapy.Request]:
        """Requests for the requisites of this pass's sources whose recheck time has come."""
        rows = requisites.due_for_sources(self.archive, sorted(self.requisite_sources))
        return self._requests(rows, None, depth=0)

    def page_requisite_requests(self, response: Response, article_id: int, source: str) -> list[scrapy.Request]:
        """Requests for what an article page references and this pass has not fetched (new or due)."""
        if source not in self.requisite_sources or response.status != 200:
            return []
        content_type = response.headers.get("Content-Type", b"").decode("latin-1").split(";")[0].strip().lower()
        if content_type not in _HTML_TYPES:
            return []
        urls = html_requisites(response.body, response.url, limit=self.settings.getint("NEWSARCHIVE_REQUISITES_PER_PAGE"))
        requisites.link(self.archive, article_id, urls, source)
        self.count("requisites/referenced", len(urls))
        return self._requests(requisites.due(self.archive, urls), source, depth=0)

    def _requests(self, rows: Iterable[dict[str, Any]], source: str | None, depth: int) -> list[scrapy.Request]:
        requests = []
        for row in rows:
            if row["url"] in self.requested_requisites:
                continue
            self.requested_requisites.add(row["url"])
            requests.append(scrapy.Request(
                row["url"],
                headers=requisites.conditional_headers(row) if row.get("last_checked_at") else None,
                callback=self.parse_requisite,
                errback=self.requisite_failed,
                cb_kwargs={"source": source or row["source"], "depth": depth},
                meta={"handle_httpstatus_list": [304, *_REDIRECTS], "dont_redirect": True,
                      "download_maxsize": self.settings.getint("NEWSARCHIVE_REQUISITES_MAXSIZE")},
                dont_filter=True,
                priority=-2,  # after the articles that need them
            ))
        return requests

    def parse_requisite(self, response: Response, source: str, depth: int) -> list[Any]:
        item = RequisitePage(source=source, url=response.url, fetched_at=now_iso(), status=response.status,
                             headers=_headers(response), body=None if response.status == 304 else response.body)
        found: list[str] = []
        if response.status in _REDIRECTS and (location := response.headers.get("Location")):
            found = [response.urljoin(location.decode("latin-1"))]
        elif response.status == 200 and depth < MAX_DEPTH and _is_css(response):
            found = css_requisites(response.body, response.url, limit=self.settings.getint("NEWSARCHIVE_REQUISITES_PER_PAGE"))
        if not found:
            return [item]
        requisites.link(self.archive, None, found, source, parent=response.url)
        return [item, *self._requests(requisites.due(self.archive, found), source, depth + 1)]

    def requisite_failed(self, failure: Failure) -> RequisitePage | None:
        request = failure.request
        response = getattr(failure.value, "response", None)
        reason = failure_reason(failure)
        if reason in NOT_ATTEMPTED_REASONS:  # never sent (host budget, stopping): nothing stored, still due
            self.defer("requisite", reason)  # type: ignore[attr-defined]
            return None
        return RequisitePage(source=request.cb_kwargs["source"], url=request.url, fetched_at=now_iso(),
                             status=response.status if response is not None else None,
                             headers=_headers(response) if response is not None else {}, failure=reason)


def _is_css(response: Response) -> bool:
    content_type = response.headers.get("Content-Type", b"").decode("latin-1").lower()
    return "css" in content_type or response.url.split("?", 1)[0].endswith(".css")

