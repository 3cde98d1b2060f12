"""Scale-out crawling on Redis: scrapy-redis scheduler and seen-set, a host-leased request queue, workers that
push results to a Redis Stream, and one writer (`newsarchive ingest`) that stores them in the archive.

Nothing here is imported by a single-machine crawl; ``redis`` is imported only when a distributed command runs.
"""
