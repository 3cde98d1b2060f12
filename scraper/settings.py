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
LOG_FORMATTER = "scraper.logformatter.QuietLogFormatter"

# Safety and politeness (docs/reliability.md): the SSRF guard runs first so that nothing, not even
# robots.txt, reaches a private address; the request limits count only requests robots.txt allows.
DOWNLOADER_MIDDLEWARES = {
    "scraper.middlewares.ssrf.SSRFGuardMiddleware": 50,
    "scraper.middlewares.limits.RequestLimitsMiddleware": 120,
    "scraper.middlewares.crawl_delay.RobotsCrawlDelayMiddleware": 130,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scraper.middlewares.retry.BackoffRetryMiddleware": 550,
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "scraper.middlewares.meta_refresh.BodyMetaRefreshMiddleware": 580,
    # below Scrapy's HttpCompressionMiddleware (590): sees the body as it came off the wire
    "scraper.middlewares.complete_body.CompleteBodyMiddleware": 595,
}
DOWNLOAD_HANDLERS = {
    "http": "scraper.download_handler.PooledHTTP11DownloadHandler",
    "https": "scraper.download_handler.PooledHTTP11DownloadHandler",
}
# Not used by our spiders, and each costs CPU on every request or item (docs/performance.md): no
# allowed_domains (the SSRF guard and sources.toml bound where we go), no depth limit. The Referer
# middleware stays: without it Scrapy's redirect middlewares log a warning at every crawl start.
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
}
URLLENGTH_LIMIT = 0  # RequestLimitsMiddleware refuses long URLs instead, recording the reason (too-deep)
TWISTED_DNS_RESOLVER = "scraper.middlewares.resolver.GuardedResolver"

# Every article response yields one item: Scrapy starts CONCURRENT_ITEMS worker tasks per response
# (default 100), which cost ~5 CPU-ms per article on the reactor (docs/performance.md). Responses
# are still processed in parallel; the in-flight bound is SCRAPER_SLOT_MAX_ACTIVE_SIZE (5 MB of bodies).
CONCURRENT_ITEMS = 4

ITEM_PIPELINES = {
    "scraper.pipelines.requisites.RequisitePipeline": 200,
    "scraper.pipelines.extract.ExtractPipeline": 300,
    "scraper.pipelines.store.StorePipeline": 800,
}

EXTENSIONS = {
    "scraper.extensions.summary.CrawlSummaryLogger": 500,
    "scraper.extensions.progress.Progress": 510,
    "scraper.extensions.archive_errors.StopOnArchiveError": 520,
    "scraper.extensions.shutdown.StopPromptly": 530,
}

# newsarchive's own settings (defaults; `newsarchive crawl` sets them from its options).
NEWSARCHIVE_DB = os.environ.get("NEWSARCHIVE_DB", "archive.db")
NEWSARCHIVE_SOURCES = "sources.toml"
NEWSARCHIVE_RECHECK = "due"  # none | due | all
NEWSARCHIVE_ALL_FEEDS = False  # poll every feed and section page, not only the due ones
NEWSARCHIVE_SITEMAP_MAX_DOCUMENTS = 200  # sitemap documents (robots.txt, indexes, children) per source per pass
NEWSARCHIVE_ADD_URLS: list[str] = []  # `newsarchive add`: fetch only these article URLs
NEWSARCHIVE_ADD_SOURCE = "manual"
NEWSARCHIVE_ONLY_SOURCES: list[str] = []
NEWSARCHIVE_EXTRACT_WORKERS = 0  # 0 = one per core; -1 = extract inline (no pool)
NEWSARCHIVE_EXTRACT_TIMEOUT = 10.0  # seconds per page
NEWSARCHIVE_EXTRACT_MEMORY_MB = 1024  # address space a worker may add to what it maps at start
NEWSARCHIVE_EXTRACT_MAX_TASKS = 500  # recycle a worker after this many pages
NEWSARCHIVE_WRITE_BATCH_SIZE = 50  # captures per write unit (1 = one transaction per article)
NEWSARCHIVE_WRITE_BATCH_SECONDS = 2.0  # ...or commit this long after the oldest pending capture
NEWSARCHIVE_PROGRESS = False
NEWSARCHIVE_REQUISITES_PER_PAGE = 100  # page requisites taken from one page or stylesheet (sources with requisites = true)
NEWSARCHIVE_REQUISITES_MAXSIZE = 8 * 1024 * 1024  # one stylesheet, image, font or script
NEWSARCHIVE_SSRF_GUARD = True  # refuse non-public addresses not named in sources.toml
NEWSARCHIVE_HOST_BUDGET = 2000  # requests per host per run (0 = unlimited)
NEWSARCHIVE_HOST_BUDGET_POLLS = 0.5  # share of it feed/sitemap/page polls may use: the rest is for articles
NEWSARCHIVE_MAX_PATH_DEPTH = 16  # path segments
NEWSARCHIVE_MAX_URL_LENGTH = 2048  # characters
NEWSARCHIVE_MAX_CRAWL_DELAY = 30.0  # cap on a robots.txt Crawl-delay, seconds
NEWSARCHIVE_RETRY_BACKOFF = 2.0  # first retry waits this long, then doubles
NEWSARCHIVE_RETRY_BACKOFF_MAX = 30.0
NEWSARCHIVE_RETRY_AFTER_MAX = 120.0  # longest Retry-After waited within a pass; a longer one defers the URL
NEWSARCHIVE_STOP_GRACE = 5.0  # seconds in-flight work gets after SIGTERM; -1 = Scrapy's wait for all of it
NEWSARCHIVE_REDIS_URL = ""  # distributed worker: results stream (set by `newsarchive worker --redis`)
NEWSARCHIVE_UNTIL_IDLE = -1  # distributed worker: seconds of empty crawl before exiting; -1 = run until stopped
NEWSARCHIVE_LEASE_TTL = 10.0  # distributed worker: heartbeat and host-lease lifetime (seconds)
