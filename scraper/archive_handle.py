"""The crawl's one Archive connection, shared by the spider and the store pipeline."""

from __future__ import annotations

from scrapy import signals
from scrapy.crawler import Crawler

from archive import Archive

_ATTRIBUTE = "_newsarchive_archive"


def archive_for(crawler: Crawler) -> Archive:
    """The Archive named by ``NEWSARCHIVE_DB``, opened once per crawler and closed when it stops."""
    archive = getattr(crawler, _ATTRIBUTE, None)
    if archive is None:
        archive = Archive(crawler.settings.get("NEWSARCHIVE_DB"))
        setattr(crawler, _ATTRIBUTE, archive)
        crawler.signals.connect(lambda: archive.close(), signal=signals.engine_stopped, weak=False)
    return archive
