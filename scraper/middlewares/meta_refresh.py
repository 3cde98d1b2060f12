"""Scrapy's meta-refresh redirects, looked for only where one can be: in a 200 response whose head says "refresh".

Scrapy's ``MetaRefreshMiddleware`` decodes and scans every HTML response, including the empty bodies of
the 304s that make up an unchanged recheck (~4% of its CPU in the benchmark's profile), and decodes the
whole page (~0.35 CPU-ms for the benchmark's 30–300 KB pages) to look at its first 4,096 characters.
"""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import Response

# Scrapy looks in the first 4,096 characters: at most 4 bytes each in UTF-8.
_HEAD_BYTES = 4 * 4096


class BodyMetaRefreshMiddleware(MetaRefreshMiddleware):
    """``MetaRefreshMiddleware`` for a 200 with a body that can hold a meta refresh.

    In any ASCII-compatible encoding the tag's ``refresh`` is those bytes in some case; a body with NUL
    bytes in its first line (UTF-16/32) goes to Scrapy's check as it is. A ``refresh`` spelled with
    character references (``&#114;efresh``) is not followed.
    """

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Request | Response:
        if response.status != 200 or not response.body:
            return response
        head = response.body[:_HEAD_BYTES]
        if b"\x00" not in head[:64] and b"refresh" not in head.lower():
            return response
        return super().process_response(request, response)
