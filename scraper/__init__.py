"""newsarchive's Scrapy project: settings, items, pipelines, middlewares, extraction and the CLI."""

__version__ = "0.1.0"
