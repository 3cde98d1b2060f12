"""A body that may be cut never reaches the spider: it fails as ``truncated``.

Twisted notices a body shorter than its ``Content-Length`` or a chunked body without its last
chunk (Scrapy raises ``ResponseDataLossError``), but two cuts pass as complete responses:

- a compressed body cut short *with a matching* ``Content-Length``: Scrapy's decompression is
  lenient and returns what it could inflate, a quarter or half of the page;
- a body that ends when the server closes the connection, without ``Content-Length`` or chunked
  framing (Scrapy flags the response ``partial``): nothing says whether it is all there.

This middleware sits just below Scrapy's ``HttpCompressionMiddleware`` (it sees the body as it
came off the wire) and checks that every ``Content-Encoding`` layer (gzip, deflate, br, zstd) ends
where a complete stream ends; a ``partial`` response passes only when such an end proves it whole.
It runs before any spider fast path, so a cut body is never stored as a version nor compared with
the last one. robots.txt is exempt: Scrapy's robots middleware reads what it gets, and a partial
rule set is better than none. So is a response that is not 2xx: it fails on its status anyway.
"""

from __future__ import annotations

import sys
import zlib
from collections.abc import Callable
from itertools import chain
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from .refused import Refused

try:  # the decoders Scrapy itself depends on
    import brotli
except ImportError:  # PyPy
    import brotlicffi as brotli
if sys.version_info >= (3, 14):
    from compression import zstd
else:
    from backports import zstd

CHUNK = 256 * 1024
_GZIP_MAGIC = b"\x1f\x8b"


class Incomplete(ValueError):
    """A compressed stream that stops before its end (or is corrupt)."""


class CompleteBodyMiddleware:
    """Downloader middleware failing cut bodies with reason ``truncated`` (see the module docstring)."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CompleteBodyMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        if not 200 <= response.status < 300 or request.method == "HEAD" or urlsplit(request.url).path == "/robots.txt":
            return response  # an error page is a failure whatever its body; robots.txt: see above
        encodings = [value.strip().lower() for value in
                     chain.from_iterable(v.split(b",") for v in response.headers.getlist("Content-Encoding"))]
        try:
            complete = decoded_completely(response.body, encodings, self.max_size)
        except Incomplete as exc:
            self._refuse(f"{b', '.join(encodings).decode('latin-1')} body ends before its stream does ({exc})")
        if not complete and "partial" in response.flags:
            self._refuse("the connection closed without Content-Length or chunked framing: the body may be cut")
        return response

    def _refuse(self, detail: str) -> None:
        self.stats.inc_value("newsarchive/refused/truncated")
        raise Refused("truncated", detail)


def decoded_completely(body: bytes, encodings: list[bytes], max_size: int = 0) -> bool:
    """True when ``body`` is a complete stream of every encoding (outermost last, as in
    ``Content-Encoding``); False when there is no known encoding to tell (identity, or unknown) or
    the decoded size passes ``max_size`` (Scrapy's decompression then refuses it as ``too-large``).
    Raises :class:`Incomplete` when a stream stops short or is corrupt."""
    known = [encoding for encoding in encodings if encoding in _DECODERS]
    if not body or not known or len(known) != len(encodings):
        return False
    data = body
    for encoding in reversed(known):
        decoded = _DECODERS[encoding](data, max_size)
        if decoded is None:
            return False
        data = decoded
    return True


Decoder = Callable[[bytes, int], "bytes | None"]


def _zlib_stream(data: bytes, wbits: int, max_size: int) -> tuple[bytes | None, Any]:
    decompressor = zlib.decompressobj(wbits)
    out: list[bytes] = []
    size, pending = 0, data
    while True:
        chunk = decompressor.decompress(pending, CHUNK)
        size += len(chunk)
        if max_size and size > max_size:
            return None, decompressor
        out.append(chunk)
        pending = decompressor.unconsumed_tail
        if decompressor.eof or (not pending and not chunk):
            break
    if not decompressor.eof:
        raise Incomplete("stream not finished")
    return b"".join(out), decompressor


def _gunzip(data: bytes, max_size: int) -> bytes | None:
    out: list[bytes] = []
    while True:  # a gzip body may be several members, one after the other
        try:
            member, decompressor = _zlib_stream(data, 31, max_size)
        except zlib.error as exc:
            raise Incomplete(str(exc)) from None
        if member is None:
            return None
        out.append(member)
        data = decompressor.unused_data
        if not data.startswith(_GZIP_MAGIC):
            return b"".join(out)


def _inflate(data: bytes, max_size: int) -> bytes | None:
    try:
        return _zlib_stream(data, 15, max_size)[0]
    except zlib.error:  # raw deflate, as some servers send it
        try:
            return _zlib_stream(data, -15, max_size)[0]
        except zlib.error as exc:
            raise Incomplete(str(exc)) from None


def _unbrotli(data: bytes, max_size: int) -> bytes | None:
    decompressor = brotli.Decompressor()
    out: list[bytes] = []
    size = 0
    try:
        chunk = decompressor.process(data, output_buffer_limit=CHUNK)
        while True:
            size += len(chunk)
            if max_size and size > max_size:
                return None
            out.append(chunk)
            if decompressor.is_finished() or not chunk:
                break
            chunk = decompressor.process(b"", output_buffer_limit=CHUNK)
    except brotli.error as exc:
        raise Incomplete(str(exc)) from None
    if not decompressor.is_finished():
        raise Incomplete("stream not finished")
    return b"".join(out)


def _unzstd(data: bytes, max_size: int) -> bytes | None:
    out: list[bytes] = []
    size = 0
    while data:  # frame after frame
        decompressor = zstd.ZstdDecompressor()
        try:
            chunk = decompressor.decompress(data, CHUNK)
            while True:
                size += len(chunk)
                if max_size and size > max_size:
                    return None
                out.append(chunk)
                if decompressor.eof or decompressor.needs_input:
                    break
                chunk = decompressor.decompress(b"", CHUNK)
        except zstd.ZstdError as exc:
            raise Incomplete(str(exc)) from None
        if not decompressor.eof:
            raise Incomplete("stream not finished")
        data = decompressor.unused_data
    return b"".join(out)


_DECODERS: dict[bytes, Decoder] = {
    b"gzip": _gunzip, b"x-gzip": _gunzip, b"deflate": _inflate, b"br": _unbrotli, b"zstd": _unzstd,
}
