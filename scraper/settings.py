"""Scrapy settings for newsarchive. Custom settings carry the ``NEWSARCHIVE_`` prefix."""

import os

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

USER_AGENT = "newsarchive/0.1 (+https://github.com/newsarchive/newsarchive)"
ROBOTSTXT_OBEY = True

# Politeness: per-host delay and concurrency; sources.toml overrides them per source (DOWNLOAD_SLOTS).
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# Pages and feeds are capped well below Scrapy's 1 GiB default (a gzip bomb inflates to the cap).
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

# Code-execution endpoints have no place in an unattended crawler.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

COOKIES_ENABLED = False
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"

# Every article response yields one item: Scrapy starts CONCURRENT_ITEMS worker tasks per response
# (default 100), which cost ~5 CPU-ms per article on the reactor (docs/performance.md). Responses
# are still processed in parallel; the in-flight bound is SCRAPER_SLOT_MAX_ACTIVE_SIZE (5 MB of bodies).
CONCURRENT_ITEMS = 4

ITEM_PIPELINES = {
    "scraper.pipelines.extract.ExtractPipeline": 300,
    "scraper.pipelines.store.StorePipeline": 800,
}

EXTENSIONS = {
    "scraper.extensions.summary.CrawlSummaryLogger": 500,
    "scraper.extensions.progress.Progress": 510,
}

# newsarchive's own settings (defaults; `newsarchive crawl` sets them from its options).
NEWSARCHIVE_DB = os.environ.get("NEWSARCHIVE_DB", "archive.db")
NEWSARCHIVE_SOURCES = "sources.toml"
NEWSARCHIVE_RECHECK = "none"  # none | all
NEWSARCHIVE_ONLY_SOURCES: list[str] = []
NEWSARCHIVE_EXTRACT_WORKERS = 0  # 0 = one per core; -1 = extract inline (no pool)
NEWSARCHIVE_EXTRACT_TIMEOUT = 10.0  # seconds per page
NEWSARCHIVE_EXTRACT_MEMORY_MB = 1024  # address-space cap per worker
NEWSARCHIVE_EXTRACT_MAX_TASKS = 500  # recycle a worker after this many pages
NEWSARCHIVE_WRITE_BATCH_SIZE = 50  # captures per write unit (1 = one transaction per article)
NEWSARCHIVE_WRITE_BATCH_SECONDS = 2.0  # ...or commit this long after the oldest pending capture
NEWSARCHIVE_PROGRESS = False
