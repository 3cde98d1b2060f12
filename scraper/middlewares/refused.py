"""The exception newsarchive's downloader middlewares raise to drop a request, with its reason code."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest


class Refused(IgnoreRequest):
    """A request newsarchive will not send; ``reason`` is a failure code (``blocked-ssrf``, ``budget``…).

    :func:`scraper.failures.failure_reason` reads ``reason``, so the capture and the stats name it.
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
