"""The crawl's one Archive connection, shared by the spider and the store pipeline, under the crawl lock."""

from __future__ import annotations

import contextlib

from scrapy import signals
from scrapy.crawler import Crawler

from archive import Archive
from archive.lock import crawl_lock

_ATTRIBUTE = "_newsarchive_archive"


def archive_for(crawler: Crawler) -> Archive:
    """The Archive named by ``NEWSARCHIVE_DB``, opened once per crawler and closed when it stops.

    Opening it takes the archive's crawl lock for the crawler's life (raises
    :class:`archive.lock.ArchiveBusy` when another crawl holds it), so `scrapy crawl feeds` cannot
    run beside `newsarchive crawl`; under `newsarchive crawl`, which holds it already, this is a no-op.
    """
    archive = getattr(crawler, _ATTRIBUTE, None)
    if archive is None:
        held = contextlib.ExitStack()
        db = crawler.settings.get("NEWSARCHIVE_DB")
        held.enter_context(crawl_lock(db))
        try:
            archive = Archive(db)
        except BaseException:
            held.close()
            raise
        setattr(crawler, _ATTRIBUTE, archive)

        def release() -> None:
            archive.close()
            held.close()

        crawler.signals.connect(release, signal=signals.engine_stopped, weak=False)
    return archive
