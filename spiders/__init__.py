"""newsarchive's spiders. ``feeds`` is the crawl pass behind both `newsarchive crawl` and `scrapy crawl feeds`."""
